import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeDriver } from '@/lib/db/sqlite-native';
import type { Statement } from '@/lib/db/sqlite-reader';
import { readJsonRowsInThread } from '@/lib/db/sqlite-thread-reader';

// A long read of a SQLite registry in a thread of its own (lib/db/sqlite-thread-reader.ts), on a
// real file: its rows, its one snapshot, its end when the reader stops early, its errors.
let dir: string;
let url: string;
let writer: InstanceType<ReturnType<typeof nativeDriver>>;
const ROWS = 1234;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-thread-reader-'));
  const file = path.join(dir, 'registry.db');
  url = pathToFileURL(file).href.replace('file://', 'file:');
  const Driver = nativeDriver();
  writer = new Driver(file);
  writer.prepare('PRAGMA journal_mode = WAL').all(); // answers a row: exec() refuses it
  writer.exec('CREATE TABLE kind (name TEXT PRIMARY KEY, shown INTEGER)');
  writer.exec(`INSERT INTO kind VALUES ('a', 1), ('b', 0), ('c', 1)`);
  writer.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, kind TEXT, at TEXT, label TEXT)');
  const insert = writer.prepare('INSERT INTO item (kind, at, label) VALUES (?, ?, ?)');
  writer.exec('BEGIN');
  for (let i = 1; i <= ROWS; i++) insert.run(['a', 'b', 'c'][i % 3], `2026-12-0${1 + (i % 3)}T00:00:00.000+00:00`, `item "${i}"\n`);
  writer.exec('COMMIT');
});
afterEach(() => {
  writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const KINDS: Statement = { sql: 'SELECT name, shown FROM kind ORDER BY name', values: [] };
/** The items of the shown kinds from a day on, each as one JSON text, as the sites list reads its rows. */
const itemsOf = (kinds: unknown[][]): Statement => {
  const shown = kinds.filter(([, s]) => s === 1).map(([name]) => name);
  return {
    sql: `SELECT json_array(id, kind, label) FROM item WHERE kind IN (${shown.map(() => '?').join(', ')}) AND at >= ? AND ? ORDER BY id`,
    // A Date and a boolean, bound as the registry's reader binds them.
    values: [...shown, new Date('2026-12-02T00:00:00Z'), true],
  };
};
const expected = () =>
  writer
    .prepare(`SELECT id, kind, label FROM item WHERE kind IN ('a', 'c') AND at >= '2026-12-02T00:00:00.000+00:00' ORDER BY id`)
    .raw(true)
    .all() as unknown[][];

/** Whether a reader still holds a snapshot of the file: a full checkpoint then cannot finish. */
const snapshotHeld = () => (writer.prepare('PRAGMA wal_checkpoint(TRUNCATE)').raw(true).get() as number[])[0] === 1;

describe('a long read of the registry in a thread of its own', () => {
  it("gives the second statement's rows, made from the first's, parsed and in batches", async () => {
    const batches: unknown[][][] = [];
    let firstRows: unknown[][] = [];
    for await (const batch of readJsonRowsInThread(url, KINDS, (kinds) => ((firstRows = kinds), itemsOf(kinds)), { rowsPerBatch: 100, batchesAhead: 2 })) batches.push(batch);
    expect(firstRows).toEqual([['a', 1], ['b', 0], ['c', 1]]);
    const all = batches.flat();
    expect(all).toEqual(expected());
    expect(all.length).toBe(411); // kind c, days 2 and 3
    expect(batches.slice(0, -1).every((b) => b.length === 100)).toBe(true);
    expect(batches.at(-1)!.length).toBe(all.length % 100 || 100);
    expect(snapshotHeld()).toBe(false);
  });

  it('reads both statements in one snapshot: a write in between is not seen', async () => {
    const rows: unknown[][] = [];
    const batches = readJsonRowsInThread(url, KINDS, (kinds) => {
      // Committed after the first statement, before the second one runs.
      writer.exec(`INSERT INTO item (kind, at, label) VALUES ('a', '2026-12-31T00:00:00.000+00:00', 'late')`);
      return itemsOf(kinds);
    });
    for await (const batch of batches) rows.push(...batch);
    expect(rows.some((r) => r[2] === 'late')).toBe(false);
    expect(rows).toEqual(expected().filter((r) => r[2] !== 'late'));
  });

  it('ends its thread, and lets go of its snapshot, when the reader stops early', async () => {
    let seen = 0;
    for await (const batch of readJsonRowsInThread(url, KINDS, itemsOf, { rowsPerBatch: 50, batchesAhead: 1 })) {
      seen += batch.length;
      // The thread waits for room with its read open.
      expect(snapshotHeld()).toBe(true);
      if (seen >= 100) break;
    }
    expect(seen).toBe(100);
    expect(snapshotHeld()).toBe(false);
  });

  it('leaves no lock behind on a registry without a write-ahead log, stopped early or read to the end', async () => {
    writer.prepare('PRAGMA journal_mode = DELETE').all();
    for await (const batch of readJsonRowsInThread(url, KINDS, itemsOf, { rowsPerBatch: 50, batchesAhead: 1 })) {
      void batch;
      break;
    }
    // Without a busy timeout: a read still held would refuse the write at once.
    writer.exec(`INSERT INTO kind VALUES ('d', 1)`);
    for await (const batch of readJsonRowsInThread(url, KINDS, itemsOf)) void batch;
    writer.exec(`INSERT INTO kind VALUES ('e', 1)`);
  });

  it("fails with SQLite's own words on a bad statement, and on a first statement that fails", async () => {
    const read = async (first: Statement, second: (rows: unknown[][]) => Statement) => {
      for await (const batch of readJsonRowsInThread(url, first, second)) void batch;
    };
    await expect(read(KINDS, () => ({ sql: 'SELECT json_array(id) FROM nowhere', values: [] }))).rejects.toThrow(/no such table: nowhere/);
    await expect(read({ sql: 'SELECT missing FROM kind', values: [] }, itemsOf)).rejects.toThrow(/no such column: missing/);
    // A failure of the caller's own (making the second statement) ends the thread too.
    await expect(
      read(KINDS, () => {
        throw new Error('no statement');
      }),
    ).rejects.toThrow('no statement');
    expect(snapshotHeld()).toBe(false);
  });

  it('never writes: its connection only reads', async () => {
    await expect(
      (async () => {
        for await (const batch of readJsonRowsInThread(url, KINDS, () => ({ sql: `INSERT INTO kind VALUES ('d', 1) RETURNING json_array(name)`, values: [] }))) void batch;
      })(),
    ).rejects.toThrow(/readonly|read-only|query_only/i);
    expect(writer.prepare(`SELECT count(*) FROM kind`).raw(true).get()).toEqual([3]);
  });
});
