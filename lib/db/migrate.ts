import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Config } from '../config';
import { dataFolderMode, makeFolder, makeRegistryPrivate } from '../config/private-files';
import { registryFile, registryLayout, registryProvider, type RegistryProvider } from '../config/registry-url';
import { projectRoot } from '../project-root';
import { appliedPostgresMigrations, migratePostgres } from './postgres-migrate';
import { openRegistryReader } from './sqlite-reader';

/**
 * Creates the registry if needed and applies pending migrations with Prisma's own
 * `migrate deploy` (the WASM schema engine: nothing native, nothing downloaded).
 * Existing rows are kept: migrations only ever move forward. The registry's files are
 * made private first, whatever the umask or the folder's mode.
 */
export async function migrateRegistry(cfg: Config): Promise<string> {
  makeRegistryFilesPrivate(cfg);
  if (registryProvider(cfg.registryUrl) === 'postgresql') return migratePostgres(cfg.registryUrl);
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, MUTU_REGISTRY_URL: cfg.registryUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`migrating the registry at ${registryFile(cfg.registryUrl)} failed:\n${text.trim()}`)),
    );
  });
  return output;
}

/** The data folder and a SQLite registry's files made (or narrowed to) private, whatever the umask. */
export function makeRegistryFilesPrivate(cfg: Config): void {
  makeFolder(cfg.dataDir, dataFolderMode(cfg.dataDir, cfg.farmRoot));
  if (registryProvider(cfg.registryUrl) === 'postgresql') return;
  const file = registryFile(cfg.registryUrl);
  makeFolder(path.dirname(file));
  makeRegistryPrivate(file);
}

/** Names of migrations in the code base that the registry (of this provider) has not applied yet. */
export async function pendingMigrations(applied: string[], provider: RegistryProvider = 'sqlite'): Promise<string[]> {
  const dir = path.join(projectRoot, registryLayout(provider).migrations);
  const all = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return all.filter((m) => !applied.includes(m));
}

export interface MigrationRow {
  name: string;
  finished: boolean;
  rolledBack: boolean;
}

/** Prisma's own record of applied migrations, read with a connection of our own to exactly `registryUrl`. */
export async function appliedMigrations(registryUrl: string): Promise<MigrationRow[]> {
  if (registryProvider(registryUrl) === 'postgresql') return appliedPostgresMigrations(registryUrl);
  // libSQL's native driver, as the long reads: every command reads this first, and @libsql/client
  // (with its network protocols) took a third of a command's start. The reader waits for other
  // commands' writes rather than take a busy registry for one that needs migrating.
  const reader = openRegistryReader(registryUrl);
  try {
    const rows = reader.rows({ sql: 'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name', values: [] });
    return [...rows].map(([name, finished, rolledBack]) => ({ name: String(name), finished: finished !== null, rolledBack: rolledBack !== null }));
  } finally {
    reader.close();
  }
}

/**
 * What a command needs before it opens the registry: the registry created and migrated as
 * `mutu start` does, when it is missing or behind this code base (a fresh data folder, a
 * script's first `mutu sites create`). A registry already up to date costs one read.
 */
export async function ensureRegistry(cfg: Config): Promise<'ready' | 'created' | 'migrated'> {
  const provider = registryProvider(cfg.registryUrl);
  if (provider === 'postgresql') {
    const applied = await appliedMigrations(cfg.registryUrl).catch((err: Error) => {
      // An unreachable server is said as such; a database never migrated is migrated below.
      if (/no such table/.test(err.message)) return null;
      throw err;
    });
    const live = applied?.filter((m) => m.finished && !m.rolledBack).map((m) => m.name);
    if (live && (await pendingMigrations(live, provider)).length === 0) return 'ready';
    await migrateRegistry(cfg);
    return applied ? 'migrated' : 'created';
  }
  const file = registryFile(cfg.registryUrl);
  const existed = fs.existsSync(file);
  if (existed) {
    const applied = await appliedMigrations(cfg.registryUrl).catch(() => null);
    const live = applied?.filter((m) => m.finished && !m.rolledBack).map((m) => m.name);
    if (live && (await pendingMigrations(live)).length === 0) return 'ready';
  }
  await migrateRegistry(cfg);
  // What bootstrap does too: readers never wait for a writer.
  const { createClient } = await import('@libsql/client');
  const client = createClient({ url: cfg.registryUrl });
  try {
    await client.execute('PRAGMA journal_mode = WAL');
  } finally {
    client.close();
  }
  return existed ? 'migrated' : 'created';
}
