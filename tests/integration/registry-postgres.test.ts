import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newPostgresDatabase, psql } from '../helpers/registry';

// The registry on PostgreSQL: its schema, generated from prisma/schema.prisma, and its
// migrations, applied by lib/db/postgres-migrate.ts, say the same thing; a first start makes it.
const projectRoot = path.resolve(import.meta.dirname, '../..');
const postgres = !!process.env.MUTU_TEST_POSTGRES_URL;

it('the PostgreSQL schema is the one bin/prisma-schemas.js writes from prisma/schema.prisma', () => {
  const r = spawnSync(process.execPath, ['bin/prisma-schemas.js', '--check'], { cwd: projectRoot, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('the check fails on a stale PostgreSQL schema', () => {
  // The same script on a copy of the project's prisma folder where a model changed.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-schemas-'));
  try {
    fs.cpSync(path.join(projectRoot, 'prisma'), path.join(dir, 'prisma'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(path.join(projectRoot, 'bin', 'prisma-schemas.js'), path.join(dir, 'bin', 'prisma-schemas.js'));
    const source = path.join(dir, 'prisma', 'schema.prisma');
    fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('model Setting {', 'model Setting {\n  note String?'));
    const r = spawnSync(process.execPath, ['bin/prisma-schemas.js', '--check'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('prisma/postgresql/schema.prisma is stale');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf(!postgres)('a PostgreSQL registry', () => {
  const tempDirs: string[] = [];
  afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** Tables, columns, indexes and constraints, as PostgreSQL describes them (Prisma's bookkeeping aside). */
  const catalog = (url: string) =>
    psql(
      `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
       UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
       ORDER BY 1`,
      url,
    );

  it('its migrations make exactly the tables the schema describes', async () => {
    const { migratePostgres } = await import('@/lib/db/postgres-migrate');
    const migrated = newPostgresDatabase({ empty: true });
    expect(await migratePostgres(migrated)).toContain('Applied migration');
    const expected = newPostgresDatabase({ empty: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-pg-schema-'));
    tempDirs.push(dir);
    // Prisma's own reading of the schema, from nothing; it needs a registry to open (prisma.config.ts), any will do.
    const script = execFileSync(
      process.execPath,
      [path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/postgresql/schema.prisma', '--script'],
      { cwd: projectRoot, env: { ...process.env, MUTU_DATA_DIR: dir, MUTU_REGISTRY_URL: `file:${path.join(dir, 'x.db')}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' }, encoding: 'utf8' },
    );
    fs.writeFileSync(path.join(dir, 'schema.sql'), script);
    execFileSync('psql', [expected, '-v', 'ON_ERROR_STOP=1', '-q', '-f', path.join(dir, 'schema.sql')], { stdio: 'ignore' });
    const want = catalog(expected);
    expect(want.split('\n').length).toBeGreaterThan(150);
    expect(catalog(migrated)).toBe(want);
  });

  it('a first start creates it with Prisma bookkeeping, a second finds nothing to do, and the doctor finds it up to date', async () => {
    const { appliedMigrations, ensureRegistry } = await import('@/lib/db/migrate');
    const { postgresMigrations } = await import('@/lib/db/postgres-migrate');
    const { checkRegistry } = await import('@/lib/doctor/registry');
    const { loadConfig } = await import('@/lib/config');
    const url = newPostgresDatabase({ empty: true });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-pg-'));
    tempDirs.push(dataDir);
    const cfg = loadConfig({ MUTU_DATA_DIR: dataDir, MUTU_REGISTRY_URL: url, MUTU_SECRET_KEY: 'ab'.repeat(32) });
    expect(await ensureRegistry(cfg)).toBe('created');
    expect(await ensureRegistry(cfg)).toBe('ready');
    const applied = await appliedMigrations(url);
    expect(applied.map((m) => m.name)).toEqual(postgresMigrations());
    expect(applied.every((m) => m.finished && !m.rolledBack)).toBe(true);
    const dir = path.join(projectRoot, 'prisma', 'postgresql', 'migrations');
    const checksums = psql('SELECT checksum FROM "_prisma_migrations" ORDER BY migration_name', url).trim().split('\n');
    expect(checksums).toEqual(postgresMigrations().map((m) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, m, 'migration.sql'))).digest('hex')));
    const doctor = await checkRegistry(cfg);
    expect(doctor.status).toBe('ok');
    expect(doctor.detail).toContain('up to date');
  });

  it('says which server it cannot reach, without its password', async () => {
    const { ensureRegistry } = await import('@/lib/db/migrate');
    const { loadConfig } = await import('@/lib/config');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-pg-'));
    tempDirs.push(dataDir);
    const cfg = loadConfig({ MUTU_DATA_DIR: dataDir, MUTU_REGISTRY_URL: 'postgresql://mutu:s3cret-word@127.0.0.1:1/mutu', MUTU_SECRET_KEY: 'ab'.repeat(32) });
    const err = await ensureRegistry(cfg).then(() => null, (e: Error) => e);
    expect(err?.message).toContain('cannot reach the PostgreSQL registry postgresql://mutu:***@127.0.0.1:1/mutu');
    expect(err?.message).not.toContain('s3cret-word');
  });
});
