import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client, type ResultSet } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedStatementClient } from '@/lib/db/sqlite-statements';

// The registry's SQLite connection keeps its statements prepared (lib/db/sqlite-statements.ts):
// it must answer what @libsql/client answers, statement after statement, on a real file.
let dir: string;
let file: string;
const opened: Client[] = [];
const open = (make: () => Client) => {
  const c = make();
  opened.push(c);
  return c;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-statements-'));
  file = path.join(dir, 'registry.db');
});
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What Prisma's adapter reads of a result: rows by index. */
const seen = (r: ResultSet) => ({
  columns: r.columns,
  columnTypes: r.columnTypes,
  rows: r.rows.map((row) => Array.from({ length: row.length }, (_, i) => row[i])),
  rowsAffected: r.rowsAffected,
  lastInsertRowid: r.lastInsertRowid,
});

const SCRIPT: { sql: string; args?: unknown[] }[] = [
  { sql: 'PRAGMA journal_mode = WAL' },
  { sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, size INTEGER, at DATETIME, data BLOB, ratio REAL)' },
  { sql: 'INSERT INTO t (name, size, at, data, ratio) VALUES (?, ?, ?, ?, ?)', args: ['a', 2 ** 40 + 1, '2026-12-03T07:00:00.000+00:00', new Uint8Array([0, 1, 255]).buffer, 0.5] },
  { sql: 'INSERT INTO t (name, size) VALUES (?, ?) RETURNING *', args: ['b', 7] },
  { sql: 'INSERT INTO t (name, size) VALUES (?, ?) RETURNING id, name', args: ['c', true] },
  { sql: 'UPDATE t SET size = size + 1 WHERE size > ?', args: [0] },
  { sql: 'UPDATE t SET size = ? WHERE name = ? RETURNING size', args: [3, 'b'] },
  { sql: 'SELECT * FROM t ORDER BY id' },
  { sql: 'SELECT name FROM t WHERE name = ?', args: ['none'] },
  { sql: 'SELECT count(*) AS n, sum(size) AS total FROM t' },
  { sql: 'BEGIN IMMEDIATE' },
  { sql: 'DELETE FROM t WHERE name = ?', args: ['c'] },
  { sql: 'COMMIT' },
  { sql: 'SELECT * FROM t ORDER BY id' },
];

describe("the registry's SQLite connection with its statements kept prepared", () => {
  it('answers every statement as @libsql/client does, the second time too', async () => {
    const answers = async (c: Client) => {
      const out = [];
      for (const { sql, args } of SCRIPT) out.push(seen(await c.execute({ sql, args: (args ?? []) as never })));
      // The same statements again, from the connection's kept ones (their writes refused or repeated alike).
      for (const { sql, args } of SCRIPT.slice(5)) out.push(seen(await c.execute({ sql, args: (args ?? []) as never })));
      return out;
    };
    const expected = await answers(open(() => createClient({ url: `file:${file}` })));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const kept = await answers(open(() => cachedStatementClient(file)));
    expect(kept).toEqual(expected);
  });

  it('refuses as @libsql/client does, and the refused statement then runs again', async () => {
    const c = open(() => cachedStatementClient(file));
    await c.execute('CREATE TABLE t (name TEXT UNIQUE)');
    const insert = { sql: 'INSERT INTO t (name) VALUES (?)', args: ['a'] };
    await c.execute(insert);
    const refusal = await c.execute(insert).catch((e: unknown) => e);
    const libsql = open(() => createClient({ url: `file:${file}` }));
    const theirs = await libsql.execute(insert).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: 'LibsqlError', code: 'SQLITE_CONSTRAINT_UNIQUE', rawCode: (theirs as { rawCode: number }).rawCode, message: (theirs as Error).message });
    await c.execute({ ...insert, args: ['b'] });
    expect((await c.execute('SELECT count(*) FROM t')).rows[0]![0]).toBe(2);
    await expect(c.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: [2 ** 63 as never] })).resolves.toBeDefined();
    await expect(c.execute('SELECT 9223372036854775807')).rejects.toThrow(/cannot be safely represented/);
  });

  it('leaves no read open between statements: another connection writes and checkpoints, and the next read sees it', async () => {
    const c = open(() => cachedStatementClient(file));
    await c.execute('PRAGMA journal_mode = WAL');
    await c.execute('CREATE TABLE t (n INTEGER)');
    // More rows than libSQL's driver fetches at once (100): a read left half done would keep its snapshot.
    await c.execute('WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 250) INSERT INTO t SELECT n FROM k');
    const all = async () => (await c.execute('SELECT n FROM t')).rows.length;
    expect(await all()).toBe(250);
    const other = open(() => createClient({ url: `file:${file}` }));
    await other.execute('INSERT INTO t VALUES (251)');
    const checkpoint = (await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows[0]!;
    expect(checkpoint[0]).toBe(0);
    expect(await all()).toBe(251);
  });

  it("reads a statement's columns again after another connection changed the table", async () => {
    const c = open(() => cachedStatementClient(file));
    await c.execute('CREATE TABLE t (a TEXT)');
    await c.execute("INSERT INTO t VALUES ('x')");
    expect((await c.execute('SELECT * FROM t')).columns).toEqual(['a']);
    const other = open(() => createClient({ url: `file:${file}` }));
    await other.execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'y'");
    const after = await c.execute('SELECT * FROM t');
    expect(after.columns).toEqual(['a', 'b']);
    expect(seen(after).rows).toEqual([['x', 'y']]);
  });

  it('keeps a bounded number of statements, and one let go is prepared again', async () => {
    const c = open(() => cachedStatementClient(file));
    await c.execute('CREATE TABLE t (n INTEGER)');
    for (let i = 0; i < 600; i++) await c.execute({ sql: `INSERT INTO t VALUES (?) -- ${i}`, args: [i] });
    await c.execute({ sql: 'INSERT INTO t VALUES (?) -- 0', args: [600] });
    expect((await c.execute('SELECT count(*), max(n) FROM t')).rows[0]).toEqual(expect.objectContaining({ 0: 601, 1: 600 }));
  });

  it('refuses statements once closed', async () => {
    const c = cachedStatementClient(file);
    c.close();
    await expect(c.execute('SELECT 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});
