import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';

export interface TestFarm {
  dataDir: string;
  /** the SQLite registry's file (none on PostgreSQL: see registryBytes) */
  registryFile: string;
  /** environment for child processes (the CLI, a server) that share this registry */
  env: NodeJS.ProcessEnv;
  /** Everything the registry holds as bytes (the SQLite files, a PostgreSQL dump), to look for what must never be stored. */
  registryBytes(): Buffer;
}

/**
 * Which registry the tests run on: SQLite (the default) or, with MUTU_TEST_REGISTRY=postgres,
 * a fresh PostgreSQL database per test file on the server of MUTU_TEST_POSTGRES_URL.
 */
export const testRegistry = (): 'sqlite' | 'postgres' => (process.env.MUTU_TEST_REGISTRY === 'postgres' ? 'postgres' : 'sqlite');

export function postgresAdminUrl(): string {
  const url = process.env.MUTU_TEST_POSTGRES_URL;
  if (!url) throw new Error('MUTU_TEST_REGISTRY=postgres needs MUTU_TEST_POSTGRES_URL (postgresql://postgres@127.0.0.1:5432/postgres)');
  return url;
}

/** The URL of database `name` on the test server. */
export function postgresDatabaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.href;
}

export const psql = (sql: string, url = postgresAdminUrl()) =>
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A new PostgreSQL database, a copy of the run's migrated template unless `empty`; dropped after the file. */
export function newPostgresDatabase(opts: { empty?: boolean } = {}): string {
  const name = `mutu_test_${crypto.randomBytes(6).toString('hex')}`;
  const template = opts.empty ? 'template0' : inject('templatePostgres');
  for (let attempt = 0; ; attempt++) {
    try {
      psql(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (err) {
      // Two files copying the template at the same instant: PostgreSQL refuses the second for a moment.
      if (attempt > 20 || !String((err as { stderr?: string }).stderr).includes('being accessed')) throw err;
      execFileSync('sleep', ['0.2']);
    }
  }
  afterAll(() => {
    psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return postgresDatabaseUrl(name);
}

/**
 * Gives the calling test file its own data folder with a migrated registry, and points
 * this process's configuration at it. Call at the top of a file, before using `db`.
 */
export function useTestFarm(extraEnv: Record<string, string> = {}): TestFarm {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-test-'));
  const registryFile = path.join(dataDir, 'mutu.db');
  const postgres = testRegistry() === 'postgres';
  let registryUrl: string;
  if (postgres) registryUrl = newPostgresDatabase();
  else {
    fs.copyFileSync(inject('templateRegistry'), registryFile);
    registryUrl = `file:${registryFile}`;
  }
  const env: Record<string, string> = {
    MUTU_DATA_DIR: dataDir,
    MUTU_REGISTRY_URL: registryUrl,
    MUTU_SECRET_KEY: '0'.repeat(63) + '1',
    ...extraEnv,
  };
  Object.assign(process.env, env);
  afterAll(async () => {
    const { disconnectDb } = await import('../../lib/db/client');
    await disconnectDb();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const registryBytes = () =>
    postgres
      ? execFileSync('pg_dump', ['--data-only', registryUrl], { maxBuffer: 1 << 30 })
      : Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(registryFile + s)).map((s) => fs.readFileSync(registryFile + s)));
  return { dataDir, registryFile, env: { ...process.env, ...env }, registryBytes };
}
