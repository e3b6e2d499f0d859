import fs from 'node:fs';
import path from 'node:path';
import type { Platform, Snapshot } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import { copySqliteDatabase, dumpDatabase } from '../databases/dump';
import { restoreDatabase, restoreSqliteFile } from '../databases/restore';
import { siteDbAccess, type SiteDbAccess } from '../databases/site-access';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { farmPaths, siteDir } from '../farm/paths';
import { keepConnectionPassword } from '../farm/connection-file';
import { diskUsage } from '../farm/disk-usage';
import { translatedError } from '../i18n/errors';

export const DUMP_FILE = 'database.sql';
/** A SQLite site's database, kept as a file copy rather than SQL text (see copySqliteDatabase) */
export const SQLITE_FILE = 'database.sqlite';
export const CONFIG_FOLDER = 'config';
export const MANIFEST_FILE = 'snapshot.json';

export interface SnapshotManifest {
  host: string;
  siteId: string;
  takenAt: string;
  jobId: string;
  /** why it was taken: before an upgrade, or before undoing one */
  reason: 'upgrade' | 'undo';
  platform: { id: string; name: string; version: string; codePath: string };
  engine: string;
  database: string;
  tablePrefix: string;
}

/**
 * The site's config folder, and the part of it that is not config: SPIP keeps its SQLite
 * file in config/bases, which the dump already holds and the restore rewrites.
 */
function configLayout(host: string, profileName: string) {
  const profile = PROFILES[profileName as ProfileName] ?? PROFILES.generic;
  const dir = siteDir(config().farmRoot, host);
  const configDir = path.join(dir, CONFIG_FOLDER);
  const sqliteDir = path.join(dir, profile.sqliteFolder);
  const inside = sqliteDir.startsWith(configDir + path.sep) ? sqliteDir : null;
  return { dir, configDir, skip: inside };
}

/** Bytes a snapshot of this site would take: its database and its config folder. */
export async function snapshotEstimate(host: string, profile: string, dbBytes: number): Promise<number> {
  const { configDir } = configLayout(host, profile);
  return dbBytes + (await diskUsage(configDir));
}

function copyConfig(from: string, to: string, skip: string | null) {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, to, {
    recursive: true,
    preserveTimestamps: true,
    verbatimSymlinks: true,
    filter: (src) => !skip || (src !== skip && !src.startsWith(skip + path.sep)),
  });
}

/** `snapshots/<host>/<time>/`, a sortable time with no characters a file system minds. */
export function snapshotFolder(host: string, at: Date): string {
  const root = path.join(farmPaths(config().farmRoot).snapshots, host);
  const dir = path.join(root, at.toISOString().replace(/[:.]/g, '-'));
  if (path.dirname(dir) !== root || path.dirname(root) !== farmPaths(config().farmRoot).snapshots) throw new Error('refusing a snapshot folder outside the farm');
  return dir;
}

/**
 * Copies what an upgrade may change: the database (dumped with the site's own account,
 * consistent) and the config folder, with a manifest naming the platform it ran on. The
 * folder is made under a temporary name and renamed once complete, then recorded.
 */
export async function takeSnapshot(input: {
  siteId: string;
  host: string;
  platform: Platform;
  /** how the site's database is reached, when the caller has it already */
  access?: SiteDbAccess;
  jobId: string;
  reason: SnapshotManifest['reason'];
  signal?: AbortSignal;
}): Promise<Snapshot> {
  const at = new Date();
  const dir = snapshotFolder(input.host, at);
  const partial = `${dir}.partial`;
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { mode: 0o700 });
  try {
    const access = input.access ?? (await siteDbAccess(input.siteId));
    if (access.server.engine === 'sqlite') await copySqliteDatabase(access, path.join(partial, SQLITE_FILE), { signal: input.signal });
    else await dumpDatabase(access, path.join(partial, DUMP_FILE), { signal: input.signal });
    const layout = configLayout(input.host, input.platform.profile);
    copyConfig(layout.configDir, path.join(partial, CONFIG_FOLDER), layout.skip);
    const manifest: SnapshotManifest = {
      host: input.host,
      siteId: input.siteId,
      takenAt: at.toISOString(),
      jobId: input.jobId,
      reason: input.reason,
      platform: { id: input.platform.id, name: input.platform.name, version: input.platform.version, codePath: input.platform.codePath },
      engine: access.server.engine,
      database: access.database,
      tablePrefix: access.tablePrefix,
    };
    fs.writeFileSync(path.join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(partial, dir);
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  return db.snapshot.create({
    data: {
      siteId: input.siteId,
      platformId: input.platform.id,
      jobId: input.jobId,
      path: dir,
      sizeBytes: BigInt(await diskUsage(dir)),
      createdAt: at,
      expiresAt: new Date(at.getTime() + config().snapshotDays * 86_400_000),
    },
  });
}

export function readManifest(snapshotPath: string): SnapshotManifest {
  return JSON.parse(fs.readFileSync(path.join(snapshotPath, MANIFEST_FILE), 'utf8')) as SnapshotManifest;
}

/** The snapshot's database: a SQLite file copy, or a SQL dump (any engine; SQLite before file copies). */
function snapshotDatabase(snapshotPath: string): { file: string; kind: 'sqlite-file' | 'sql' } | undefined {
  const copy = path.join(snapshotPath, SQLITE_FILE);
  if (fs.existsSync(copy)) return { file: copy, kind: 'sqlite-file' };
  const dump = path.join(snapshotPath, DUMP_FILE);
  return fs.existsSync(dump) ? { file: dump, kind: 'sql' } : undefined;
}

/** Checks a snapshot is whole before anything is changed on its strength. */
export function checkSnapshotFiles(snapshotPath: string): void {
  if (!fs.existsSync(path.join(snapshotPath, MANIFEST_FILE))) throw translatedError((m) => new Error(m), 'serviceErrors.snapshotLacks', { path: snapshotPath, what: MANIFEST_FILE });
  if (!snapshotDatabase(snapshotPath)) throw translatedError((m) => new Error(m), 'serviceErrors.snapshotLacksDatabase', { path: snapshotPath, sqlite: SQLITE_FILE, dump: DUMP_FILE });
}

/** Puts the database and the config folder back as the snapshot has them. */
export async function restoreSnapshot(snapshotPath: string, siteId: string, host: string, profile: string, signal?: AbortSignal): Promise<void> {
  checkSnapshotFiles(snapshotPath);
  const saved = snapshotDatabase(snapshotPath)!;
  const access = await siteDbAccess(siteId);
  if (saved.kind === 'sqlite-file') await restoreSqliteFile(access, saved.file);
  else await restoreDatabase(access, saved.file, { signal });
  const layout = configLayout(host, profile);
  const savedConfig = path.join(snapshotPath, CONFIG_FOLDER);
  if (!fs.existsSync(savedConfig)) return;
  // The saved folder is copied beside, then swapped in by renames, in the site's folder (root's):
  // nothing is ever written through a path the site could have replaced by a link meanwhile
  // (SPIP's config/ takes files of the site's own).
  const fresh = `${layout.configDir}.restoring`;
  const old = `${layout.configDir}.replaced`;
  for (const p of [fresh, old]) fs.rmSync(p, { recursive: true, force: true });
  copyConfig(savedConfig, fresh, null);
  if (layout.skip) {
    // The database folder was just restored in place: it moves into the new config/ as it is.
    const inFresh = path.join(fresh, path.relative(layout.configDir, layout.skip));
    fs.rmSync(inFresh, { recursive: true, force: true });
    if (fs.existsSync(layout.skip)) {
      fs.mkdirSync(path.dirname(inFresh), { recursive: true });
      fs.renameSync(layout.skip, inFresh);
    }
  }
  if (fs.existsSync(layout.configDir)) fs.renameSync(layout.configDir, old);
  fs.renameSync(fresh, layout.configDir);
  fs.rmSync(old, { recursive: true, force: true });
  // The account's password may have changed since the snapshot (mutu sites db-password): the
  // server holds the registry's, so the restored connection file gets it back.
  if (access.user) keepConnectionPassword(layout.dir, access.password);
}

/** Removes a snapshot's files and row (a rolled-back upgrade's snapshot is worth nothing more). */
export async function deleteSnapshot(id: string): Promise<void> {
  const snap = await db.snapshot.findUnique({ where: { id } });
  if (!snap) return;
  const root = farmPaths(config().farmRoot).snapshots;
  if (path.dirname(path.dirname(snap.path)) === root) {
    await fs.promises.rm(snap.path, { recursive: true, force: true });
    await fs.promises.rm(`${snap.path}.partial`, { recursive: true, force: true });
  }
  await db.snapshot.deleteMany({ where: { id } });
}
