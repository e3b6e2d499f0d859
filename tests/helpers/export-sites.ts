import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { config } from '../../lib/config';
import { db } from '../../lib/db/client';
import { siteDbAccess, type SiteDbAccess } from '../../lib/databases/site-access';
import { siteDir } from '../../lib/farm/paths';
import { MANIFEST_NAME, manifestSchema, type ExportFileKind } from '../../lib/exports/format';
import { requestSite } from '../../lib/sites/request';
import { mysqlAddress, mysqlConnect, postgresAddress, postgresConnect } from './db-probe';
import { adminActor, profileFor, randomPart, waitForJob, type Engine, type Provisioning } from './provision';
import { PROFILES } from '../../lib/domain/profiles';

export type Row = { id: number; titre: string };

/** The rows every seeded site holds: with quotes, accents and a NUL-free binary-ish text. */
export const SEED_ROWS: Row[] = [
  { id: 1, titre: "L'été à la plage" },
  { id: 2, titre: 'Quotes " and \\ backslashes' },
  { id: 3, titre: '写真 — 2024' },
];

/** Provisions a SPIP site on an engine (generic on PostgreSQL, which SPIP cannot use; shared mode on a given server), waiting for the job. */
export async function provisionSite(p: Provisioning, engine: Engine, host: string, opts: { server?: string; shared?: boolean; webmaster?: string } = {}) {
  const server = opts.server ?? (await p.serverFor(engine)).name;
  const { job } = await requestSite(adminActor, { host: p.trackHost(host), server, platform: (await p.platformFor(engine)).name, sharedDb: !!opts.shared, webmaster: opts.webmaster });
  const done = await waitForJob(job.id, 30_000);
  if (done.status !== 'succeeded') throw new Error(`provisioning ${host} failed: ${done.error}`);
  return db.site.findUniqueOrThrow({ where: { host }, include: { database: { include: { server: true } } } });
}

/** Runs SQL with the site's own credentials, as the site would; returns the last statement's rows. */
export async function siteSql(a: SiteDbAccess, sql: string[]): Promise<Record<string, unknown>[]> {
  if (a.server.engine === 'sqlite') {
    let out: Record<string, unknown>[] = [];
    for (const s of sql) {
      const r = spawnSync('sqlite3', ['-json', a.sqliteFile!, s], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
      out = r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>[]) : [];
    }
    return out;
  }
  if (a.server.engine === 'mysql') {
    const c = await mysqlConnect({ user: a.user, password: a.password, database: a.database });
    try {
      let out: Record<string, unknown>[] = [];
      for (const s of sql) out = (await c.query(s))[0] as Record<string, unknown>[];
      return out;
    } finally {
      await c.end();
    }
  }
  const c = await postgresConnect({ user: a.user, password: a.password, database: a.database });
  try {
    let out: Record<string, unknown>[] = [];
    for (const s of sql) out = (await c.query(s)).rows as Record<string, unknown>[];
    return out;
  } finally {
    await c.end();
  }
}

export const articles = (a: SiteDbAccess) => `${a.tablePrefix ? `${a.tablePrefix}_` : ''}articles`;

/** The folder of uploads the export archives for a site on this engine's test platform: SPIP's IMG, generic's data. */
export const uploadsFor = (engine: Engine) => PROFILES[profileFor(engine)].usage.uploads;

/** A table of articles and a few uploads (in its profile's uploads folder), as a SPIP site would have. */
export async function seedSite(siteId: string) {
  const a = await siteDbAccess(siteId);
  const { platform } = await db.site.findUniqueOrThrow({ where: { id: siteId }, select: { platform: { select: { profile: true } } } });
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const literal = (v: string) => (a.server.engine === 'mysql' ? quote(v).replace(/\\/g, '\\\\') : quote(v));
  await siteSql(a, [
    `CREATE TABLE ${articles(a)} (id INT PRIMARY KEY, titre VARCHAR(200) NOT NULL)`,
    ...SEED_ROWS.map((r) => `INSERT INTO ${articles(a)} (id, titre) VALUES (${r.id}, ${literal(r.titre)})`),
  ]);
  const img = path.join(siteDir(config().farmRoot, a.host), PROFILES[platform.profile].usage.uploads);
  fs.mkdirSync(path.join(img, 'jpg'), { recursive: true });
  fs.writeFileSync(path.join(img, 'jpg', 'logo.jpg'), crypto.randomBytes(50_000));
  fs.writeFileSync(path.join(img, 'document final.pdf'), 'PDF-ish content\n');
  return a;
}

export async function siteRows(a: SiteDbAccess): Promise<Row[]> {
  const rows = await siteSql(a, [`SELECT id, titre FROM ${articles(a)} ORDER BY id`]);
  return rows.map((r) => ({ id: Number(r.id), titre: String(r.titre) }));
}

/** Decompresses a .gz or .zst export file next to itself (test-side, with the real zstd). */
export async function decompress(file: string): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-dump-')), path.basename(file).replace(/\.(gz|zst)$/, ''));
  if (file.endsWith('.zst')) {
    const r = spawnSync('zstd', ['-q', '-d', '-o', out, file]);
    if (r.status !== 0) throw new Error(`zstd -d: ${r.stderr}`);
  } else {
    await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(out));
  }
  return out;
}

/**
 * Loads a dump into a brand new database as the server's admin would by hand (the
 * webmaster restoring elsewhere), and returns the rows of a table there.
 */
export async function rowsAfterLoading(engine: Engine, sqlFile: string, table: string, track: (prefix: string) => void): Promise<{ rows: Row[]; tables: string[] }> {
  const select = `SELECT id, titre FROM ${table} ORDER BY id`;
  const toRows = (rows: Record<string, unknown>[]) => rows.map((r) => ({ id: Number(r.id), titre: String(r.titre) }));
  if (engine === 'sqlite') {
    const file = path.join(path.dirname(sqlFile), 'fresh.sqlite');
    const r = spawnSync('sqlite3', [file], { input: fs.readFileSync(sqlFile) });
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    // sqlite3 -json prints nothing for no row; a failure (no such table) is said, not read as no row.
    const q = (s: string) => {
      const out = spawnSync('sqlite3', ['-json', file, s], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`sqlite3 ${s}: ${out.stderr} (the dump loaded: ${fs.statSync(sqlFile).size} bytes)`);
      return JSON.parse(out.stdout || '[]') as Record<string, unknown>[];
    };
    return { rows: toRows(q(select)), tables: q("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1").map((t) => String(t.name)) };
  }
  const fresh = `mu_fresh${randomPart()}`;
  track(fresh);
  if (engine === 'mysql') {
    const admin = await mysqlConnect();
    await admin.query(`CREATE DATABASE ${fresh}`);
    await admin.end();
    const m = mysqlAddress();
    const r = spawnSync('mariadb', ['-h', m.host, '-P', String(m.port), '-u', m.user, '--default-character-set=utf8mb4', fresh], { input: fs.readFileSync(sqlFile) });
    if (r.status !== 0) throw new Error(`mariadb: ${r.stderr}`);
    const c = await mysqlConnect({ database: fresh });
    try {
      const tables = ((await c.query('SHOW TABLES'))[0] as Record<string, unknown>[]).map((t) => String(Object.values(t)[0]));
      return { rows: toRows((await c.query(select))[0] as Record<string, unknown>[]), tables: tables.sort() };
    } finally {
      await c.end();
    }
  }
  const admin = await postgresConnect();
  await admin.query(`CREATE DATABASE ${fresh}`);
  await admin.end();
  const pgA = postgresAddress();
  const r = spawnSync('psql', ['-h', pgA.host, '-p', String(pgA.port), '-U', pgA.user, '-d', fresh, '--no-psqlrc', '-q', '-v', 'ON_ERROR_STOP=1', '-f', sqlFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  const c = await postgresConnect({ database: fresh });
  try {
    const tables = (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((t) => String(t.tablename));
    return { rows: toRows((await c.query(select)).rows), tables };
  } finally {
    await c.end();
  }
}

/** Rewrites one file of an export copy and its manifest entry (size and checksum), as a forger would. */
export function replaceExportFile(dir: string, kind: ExportFileKind, content: Buffer) {
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')));
  const entry = manifest.files.find((f) => f.kind === kind)!;
  fs.writeFileSync(path.join(dir, entry.name), content);
  entry.size = content.length;
  entry.sha256 = crypto.createHash('sha256').update(content).digest('hex');
  fs.writeFileSync(path.join(dir, MANIFEST_NAME), JSON.stringify(manifest));
}
