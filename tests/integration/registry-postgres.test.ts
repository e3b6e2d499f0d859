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

  it('migrates forward a registry an older Mutu left, keeping its rows: text statuses become enums of the same values', async () => {
    const { migratePostgres, postgresMigrations } = await import('@/lib/db/postgres-migrate');
    const { registryClient } = await import('@/lib/db/client');
    const ENUMS = '20261217100000_enums';
    const url = newPostgresDatabase({ empty: true });
    const dir = path.join(projectRoot, 'prisma', 'postgresql', 'migrations');
    // The migrations before the enums, applied and recorded (names are what migratePostgres reads).
    psql(`CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`, url);
    for (const name of postgresMigrations().filter((m) => m < ENUMS)) {
      execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-f', path.join(dir, name, 'migration.sql')], { stdio: 'ignore' });
      psql(`INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES ('${crypto.randomUUID()}', '', now(), '${name}', 1)`, url);
    }
    psql(`
      INSERT INTO "User" ("id", "email", "passwordHash", "role", "updatedAt") VALUES ('u1', 'old@example.org', 'scrypt$x', 'webmaster', now());
      INSERT INTO "PasswordToken" ("id", "userId", "tokenHash", "purpose", "expiresAt") VALUES ('t1', 'u1', 'h', 'reset', now());
      INSERT INTO "Platform" ("id", "name", "profile", "codePath", "upgradeCommand", "healthCheck", "updatedAt") VALUES ('p1', 'spip-4.2', 'spip', '/srv/spip', '["php","{platform_dir}/x.php"]', '{"path":"/spip.php"}', now());
      INSERT INTO "Platform" ("id", "name", "profile", "codePath", "status", "updatedAt") VALUES ('p2', 'moodle-4', 'moodle', '/srv/moodle', 'retired', now());
      INSERT INTO "DbServer" ("id", "name", "engine", "status", "options", "updatedAt") VALUES ('d1', 'pg', 'postgresql', 'retired', '{"adminDatabase":"postgres"}', now());
      INSERT INTO "Site" ("id", "host", "status", "platformId", "updatedAt") VALUES ('s1', 'old.example.org', 'moved', 'p1', now());
      INSERT INTO "Certificate" ("id", "siteId", "names", "issuer", "serial", "fingerprint", "notBefore", "notAfter", "source", "updatedAt")
        VALUES ('c1', 's1', '["old.example.org"]', 'CA', '01', 'AB', now(), now(), 'imported', now());
      INSERT INTO "Run" ("id", "kind", "status", "params", "summary") VALUES ('r1', 'upgrade', 'partial', '{"concurrency":2}', '{"round":1}');
      INSERT INTO "Job" ("id", "kind", "status", "runId", "params", "state") VALUES ('j1', 'site.upgrade', 'undoing', 'r1', '{"host":"old.example.org"}', '{"snapshot":"x"}');
      INSERT INTO "JobLog" ("jobId", "level", "message") VALUES ('j1', 'warn', 'old line');
      INSERT INTO "Export" ("id", "siteId", "status", "expiresAt") VALUES ('e1', 's1', 'expired', now());
      INSERT INTO "ExportFile" ("id", "exportId", "kind", "name", "path", "sizeBytes", "sha256") VALUES ('f1', 'e1', 'secrets', 'n', '/p', 1, 'x');
      INSERT INTO "AuditEvent" ("action", "source", "details") VALUES ('site.create', 'public', '{"jobId":"j1","kept":["a"],"ok":true}');`, url);

    expect(await migratePostgres(url)).toContain(`Applied migration ${ENUMS}`);
    expect(psql(`SELECT data_type || ' ' || udt_name FROM information_schema.columns WHERE table_name = 'Site' AND column_name = 'status'`, url).trim()).toBe('USER-DEFINED SiteStatus');
    const client = registryClient(url);
    try {
      expect(await client.user.findUniqueOrThrow({ where: { id: 'u1' }, select: { role: true, passwordTokens: { select: { purpose: true } } } })).toEqual({ role: 'webmaster', passwordTokens: [{ purpose: 'reset' }] });
      expect(await client.platform.findMany({ orderBy: { id: 'asc' }, select: { profile: true, status: true } })).toEqual([{ profile: 'spip', status: 'active' }, { profile: 'moodle', status: 'retired' }]);
      expect(await client.dbServer.findUniqueOrThrow({ where: { id: 'd1' }, select: { engine: true, status: true } })).toEqual({ engine: 'postgresql', status: 'retired' });
      expect(await client.site.findUniqueOrThrow({ where: { id: 's1' }, select: { status: true, certificate: { select: { source: true, names: true } } } })).toEqual({ status: 'moved', certificate: { source: 'imported', names: ['old.example.org'] } });
      expect(await client.run.findUniqueOrThrow({ where: { id: 'r1' }, select: { status: true } })).toEqual({ status: 'partial' });
      expect(await client.job.findUniqueOrThrow({ where: { id: 'j1' }, select: { status: true, logs: { select: { level: true } } } })).toEqual({ status: 'undoing', logs: [{ level: 'warn' }] });
      expect(await client.export.findUniqueOrThrow({ where: { id: 'e1' }, select: { status: true, files: { select: { kind: true } } } })).toEqual({ status: 'expired', files: [{ kind: 'secrets' }] });
      expect(await client.auditEvent.findFirstOrThrow({ select: { source: true, details: true } })).toEqual({ source: 'public', details: { jobId: 'j1', kept: ['a'], ok: true } });
      // Text columns that became jsonb (20261218100000_json_params) read back as the objects they held.
      expect(await client.platform.findUniqueOrThrow({ where: { id: 'p1' }, select: { upgradeCommand: true, installCommand: true, healthCheck: true } })).toEqual({
        upgradeCommand: ['php', '{platform_dir}/x.php'],
        installCommand: null,
        healthCheck: { path: '/spip.php' },
      });
      expect(await client.dbServer.findUniqueOrThrow({ where: { id: 'd1' }, select: { options: true, revision: true } })).toEqual({ options: { adminDatabase: 'postgres' }, revision: 0 });
      expect(await client.run.findUniqueOrThrow({ where: { id: 'r1' }, select: { params: true, summary: true, revision: true } })).toEqual({ params: { concurrency: 2 }, summary: { round: 1 }, revision: 0 });
      expect(await client.job.findUniqueOrThrow({ where: { id: 'j1' }, select: { params: true, state: true } })).toEqual({ params: { host: 'old.example.org' }, state: { snapshot: 'x' } });
      // A new platform still gets the column's default.
      expect((await client.platform.create({ data: { name: 'new', profile: 'generic', codePath: '/srv/new' } })).status).toBe('active');
    } finally {
      await client.$disconnect();
    }
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
