// A site's SQL dump goes from the dump tool straight into the compressor (no byte through
// Node): the file must hold exactly what the tool printed, a failing compressor must be named
// as the cause, and nothing partial may be left under either name.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DbServer } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteDbAccess } from '@/lib/databases/site-access';
import { dumpCompressed } from '@/lib/exports/dump-compressed';

let work: string;
const server: DbServer = {
  id: 'local', name: 'local', engine: 'sqlite', host: '', port: 0, adminUser: '', adminPasswordEnc: null, options: {}, revision: 0, status: 'active',
  isDefault: true, lastCheckedAt: null, lastCheckOk: null, lastCheckError: null, createdAt: new Date(), updatedAt: new Date(),
};
const access = (name: string, more: Partial<SiteDbAccess> = {}): SiteDbAccess => ({
  host: 'dump.example.org', server, database: name, user: '', password: '', tablePrefix: 'spip', shared: false,
  sqliteFolder: work, sqliteFile: path.join(work, `${name}.sqlite`), ...more,
});
const sqlite = (file: string, sql: string) => {
  const r = spawnSync('sqlite3', [file], { input: sql, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const left = () => fs.readdirSync(work).filter((f) => !f.endsWith('.sqlite')).sort();

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-dump-'));
  // About 30 MB of SQL: long enough for the progress to be read more than once.
  sqlite(path.join(work, 'big.sqlite'), `CREATE TABLE spip_articles (id INTEGER PRIMARY KEY, texte TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
    INSERT INTO spip_articles SELECT i, printf('%d: %s', i, hex(randomblob(48))) FROM n;`);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('dumpCompressed', () => {
  it('writes exactly what the dump tool prints, through gzip and through zstd, with progress from the tool', async () => {
    const expected = spawnSync('sqlite3', ['-readonly', path.join(work, 'big.sqlite'), '.dump'], { maxBuffer: 1 << 30 }).stdout;
    const seen: number[] = [];
    const gz = await dumpCompressed(access('big'), path.join(work, 'big.sql.gz'), 'gzip', { mode: 0o640, onBytes: (n) => seen.push(n) });
    expect(zlib.gunzipSync(fs.readFileSync(gz.path)).equals(expected)).toBe(true);
    expect(gz.sizeBytes).toBe(fs.statSync(gz.path).size);
    expect(fs.statSync(gz.path).mode & 0o777).toBe(0o640);
    // Progress is the kernel's count of the tool's writes (a few bytes besides its SQL): rising,
    // and about the size of the dump at the end.
    // (37 MB through gzip -6 takes over a second: at least one reading every half second.)
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-1)).toBeLessThanOrEqual(expected.length + 4096);

    const zst = await dumpCompressed(access('big'), path.join(work, 'big.sql.zst'), 'zstd', { mode: 0o640 });
    const back = spawnSync('zstd', ['-d', '-c', zst.path], { maxBuffer: 1 << 30 });
    expect(back.stdout.equals(expected)).toBe(true);
    const sum = spawnSync('sha256sum', [zst.path], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(zst.sha256).toBe(sum);
    expect(left()).toEqual(['big.sql.gz', 'big.sql.zst']);
  });

  it('names a missing compressor as the cause, and leaves no file', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-path-'));
    fs.symlinkSync(spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'sqlite3'));
    const saved = process.env.PATH;
    process.env.PATH = bin; // sqlite3 only: no zstd
    try {
      await expect(dumpCompressed(access('big'), path.join(work, 'nozstd.sql.zst'), 'zstd', { mode: 0o640 })).rejects.toThrow(/zstd is not installed/);
    } finally {
      process.env.PATH = saved;
      fs.rmSync(bin, { recursive: true, force: true });
    }
    expect(left()).not.toContain('nozstd.sql.zst');
    expect(left().filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it("reports the dump tool's failure and leaves no file", async () => {
    fs.writeFileSync(path.join(work, 'broken.sqlite'), 'this is not a database, but long enough to be read as one '.repeat(100));
    await expect(dumpCompressed(access('broken'), path.join(work, 'broken.sql.gz'), 'gzip', { mode: 0o640 })).rejects.toThrow(/the SQLite database .* is damaged .*file is not a database.*restore it from a backup/);
    expect(left().filter((f) => f.startsWith('broken') || f.startsWith('.broken'))).toEqual([]);
  });

  it('writes a note when a shared database holds none of the site’s tables', async () => {
    sqlite(path.join(work, 'shared.sqlite'), 'CREATE TABLE other_articles (id INTEGER PRIMARY KEY);');
    const note = await dumpCompressed(access('shared', { shared: true, tablePrefix: 'mine' }), path.join(work, 'shared.sql.gz'), 'gzip', { mode: 0o640 });
    expect(zlib.gunzipSync(fs.readFileSync(note.path)).toString()).toBe('-- Mutu: dump.example.org has no tables with the prefix mine_\n');
  });
});
