import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, inject, it } from 'vitest';

// bootstrap() must start from an empty data folder, so this file does not use useTestFarm().
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-registry-'));
  tempDirs.push(dir);
  return dir;
};
const dataDir = tempDir();
for (const name of Object.keys(process.env)) if (name.startsWith('MUTU_')) delete process.env[name];
Object.assign(process.env, { MUTU_DATA_DIR: dataDir, MUTU_SECRET_KEY: 'ef'.repeat(32) });

const { bootstrap } = await import('@/lib/bootstrap');
const { db, disconnectDb, registryClient } = await import('@/lib/db/client');
const { loadConfig } = await import('@/lib/config');
const { migrateRegistry } = await import('@/lib/db/migrate');
const { verifyPassword } = await import('@/lib/auth/password');
const { createUser } = await import('@/lib/users/service');
const { enqueue } = await import('@/lib/jobs/queue');
const { pruneHandler } = await import('@/lib/jobs/handlers/prune');
const { recordAudit } = await import('@/lib/audit/record');

afterAll(async () => {
  await disconnectDb();
  tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const projectRoot = path.resolve(import.meta.dirname, '../..');
const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');
const migrationNames = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const sqlite = (file: string) => createClient({ url: `file:${file}` });

/** Row count of every table of a registry (Prisma's bookkeeping aside). */
async function countRows(file: string): Promise<Record<string, number>> {
  const client = sqlite(file);
  try {
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) counts[String(name)] = Number((await client.execute(`SELECT COUNT(*) AS n FROM "${name}"`)).rows[0]!.n);
    return counts;
  } finally {
    client.close();
  }
}

async function appliedMigrations(file: string) {
  const client = sqlite(file);
  try {
    const rows = await client.execute('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name');
    return rows.rows.map((r) => ({ ...r }));
  } finally {
    client.close();
  }
}

/** A registry as an older Mutu left it: these migrations applied and recorded in _prisma_migrations the way Prisma does, then `rows`. */
async function olderRegistry(migrations: string[], rows: string): Promise<string> {
  const file = path.join(tempDir(), 'mutu.db');
  const client = sqlite(file);
  try {
    const template = sqlite(inject('templateRegistry'));
    const ddl = (await template.execute("SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'")).rows[0]!.sql;
    template.close();
    await client.execute(String(ddl));
    for (const name of migrations) {
      await client.executeMultiple(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
      const now = new Date().toISOString();
      await client.execute({
        sql: 'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
        args: [crypto.randomUUID(), checksum(name), now, name, now],
      });
    }
    await client.executeMultiple(rows);
  } finally {
    client.close();
  }
  return file;
}

const checksum = (name: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'))).digest('hex');

function runBootstrapProcess(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_')));
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/bootstrap-once.ts'], {
      cwd: projectRoot,
      env: { ...clean, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the registry on first and later starts', () => {
  const registryFile = path.join(dataDir, 'mutu.db');
  const firstStart: string[] = [];
  let generated = '';

  it('creates and migrates the registry in an empty data folder, and prints a generated admin password once', async () => {
    expect(fs.existsSync(registryFile)).toBe(false);
    await bootstrap((line) => firstStart.push(line));

    expect(fs.existsSync(registryFile)).toBe(true);
    const applied = await appliedMigrations(registryFile);
    expect(applied.map((m) => m.migration_name)).toEqual(migrationNames);
    for (const m of applied) {
      expect(m.finished_at).toBeTruthy();
      expect(m.rolled_back_at).toBeNull();
      expect(m.checksum).toBe(checksum(String(m.migration_name)));
    }
    expect((await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode'))[0]!.journal_mode).toBe('wal');

    expect(firstStart[0]).toBe('First admin created: admin@mutu.local');
    generated = /^ {2}password: (\S+)$/.exec(firstStart[1] ?? '')?.[1] ?? '';
    expect(generated).toHaveLength(24);
    expect(firstStart[2]).toContain('shown only this once');
    const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@mutu.local' } });
    expect(admin.role).toBe('admin');
    expect(await verifyPassword(generated, admin.passwordHash)).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.create' } });
    expect(audit).toMatchObject({ source: 'system', actorEmail: 'mutu' });
    expect(JSON.stringify(audit.details)).not.toContain(generated);
  });

  it('on a later start prints nothing new and keeps every row', async () => {
    const { user: webmaster } = await createUser({ source: 'cli', ip: 'cli' }, { email: 'web@example.org', role: 'webmaster', password: 'webmaster password' });
    const platform = await db.platform.create({ data: { name: 'spip-4.3', profile: 'spip', version: '4.3.5', codePath: '/srv/spip-4.3' } });
    const server = await db.dbServer.create({ data: { name: 'maria', engine: 'mysql', host: '127.0.0.1', port: 3306 } });
    const site = await db.site.create({
      data: {
        host: 'example.com',
        status: 'active',
        platformId: platform.id,
        diskBytes: 123_456_789_012n,
        aliases: { create: { host: 'www.example.com' } },
        webmasters: { create: { userId: webmaster.id } },
        database: { create: { serverId: server.id, name: 'example', user: 'example', passwordEnc: 'v1:x:y:z', tablePrefix: 'examplec5172', slot: 'db:example' } },
      },
    });
    await enqueue(pruneHandler, {}, { actor: { source: 'cli', ip: 'cli' }, siteId: site.id, lockKey: site.host });
    await recordAudit({ source: 'cli', ip: 'cli' }, { action: 'site.create', siteId: site.id, siteHost: site.host });
    await db.rateLimit.create({ data: { key: 'login:email:x@example.org', count: 2, windowStart: new Date() } });
    const before = await countRows(registryFile);
    expect(Object.values(before).filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);

    const secondStart: string[] = [];
    await bootstrap((line) => secondStart.push(line));
    expect(secondStart).toEqual([]);
    expect(await countRows(registryFile)).toEqual(before);
    expect((await db.site.findUniqueOrThrow({ where: { host: 'example.com' } })).diskBytes).toBe(123_456_789_012n);
    expect(await verifyPassword(generated, (await db.user.findUniqueOrThrow({ where: { email: 'admin@mutu.local' } })).passwordHash)).toBe(true);
  });

  it('creates the first admin from MUTU_ADMIN_EMAIL and MUTU_ADMIN_PASSWORD without printing the password', async () => {
    const dir = tempDir();
    const password = 'a first admin password';
    const env = { MUTU_DATA_DIR: dir, MUTU_ADMIN_EMAIL: 'Boss@Example.org', MUTU_ADMIN_PASSWORD: password };
    const first = await runBootstrapProcess(env);
    expect(first.code, first.output).toBe(0);
    expect(first.output.trim()).toMatch(/^First admin created: boss@example\.org$/i);
    // No secret key was given: one was generated, readable by its owner only.
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);

    const client = sqlite(path.join(dir, 'mutu.db'));
    try {
      const rows = (await client.execute("SELECT email, role, passwordHash FROM User")).rows;
      expect(rows.map((r) => [r.email, r.role])).toEqual([['boss@example.org', 'admin']]);
      expect(await verifyPassword(password, String(rows[0]!.passwordHash))).toBe(true);
    } finally {
      client.close();
    }
    // A second start, even with another password in the environment, changes nothing.
    const again = await runBootstrapProcess({ ...env, MUTU_ADMIN_PASSWORD: 'another password entirely' });
    expect(again).toEqual({ code: 0, output: '' });
  });

  it('migrates forward a registry made by the first migration and keeps its rows', async () => {
    // A registry as an older Mutu (one that shipped only the first migration) left it.
    const file = await olderRegistry(migrationNames.slice(0, 1), `
        INSERT INTO "User" (id, email, passwordHash, role, createdAt, updatedAt) VALUES ('u1', 'old@example.org', 'scrypt$x', 'admin', 0, 0);
        INSERT INTO "Platform" (id, name, profile, codePath, upgradeCommand, healthCheck, createdAt, updatedAt) VALUES ('p1', 'spip-4.2', 'spip', '/srv/spip', '["php","{platform_dir}/x.php"]', '{"path":"/spip.php"}', 0, 0);
        INSERT INTO "Site" (id, host, status, platformId, createdAt, updatedAt) VALUES ('s1', 'old.example.org', 'active', 'p1', 0, 0);
        INSERT INTO "DbServer" (id, name, engine, options, createdAt, updatedAt) VALUES ('d1', 'maria', 'mysql', '{"hostMask":"%"}', 0, 0);
        INSERT INTO "SiteDatabase" (id, siteId, serverId, name, user, passwordEnc) VALUES ('sd1', 's1', 'd1', 'old', 'old', 'v1:x:y:z');
        INSERT INTO "AuditEvent" (action, source, at, details) VALUES ('site.create', 'cli', 0, '{"jobId":"j1","kept":["a"]}');
        INSERT INTO "Run" (id, kind, status, params, summary, createdAt) VALUES ('r1', 'upgrade', 'partial', '{"concurrency":2}', '{"round":1}', 0);
        INSERT INTO "Job" (id, kind, status, runId, params, state, runAfter, createdAt) VALUES ('j1', 'site.upgrade', 'failed', 'r1', '{"host":"old.example.org"}', '{"snapshot":"x"}', 0, 0);
      `);
    const before = await countRows(file);

    const cfg = loadConfig({ MUTU_DATA_DIR: path.dirname(file), MUTU_SECRET_KEY: 'ef'.repeat(32) });
    await migrateRegistry(cfg);

    expect((await appliedMigrations(file)).map((m) => m.migration_name)).toEqual(migrationNames);
    const after = await countRows(file);
    for (const [table, n] of Object.entries(before)) expect(after[table], table).toBe(n);
    expect(after).toMatchObject({ User: 1, Platform: 1, Site: 1, DbServer: 1, SiteDatabase: 1, AuditEvent: 1, Run: 1, Job: 1 });
    // Text columns that became Json read back as the objects they held.
    const client = registryClient(cfg.registryUrl);
    try {
      expect(await client.auditEvent.findFirstOrThrow({ select: { details: true, source: true } })).toEqual({ details: { jobId: 'j1', kept: ['a'] }, source: 'cli' });
      expect(await client.platform.findUniqueOrThrow({ where: { id: 'p1' }, select: { upgradeCommand: true, installCommand: true, healthCheck: true } })).toEqual({
        upgradeCommand: ['php', '{platform_dir}/x.php'],
        installCommand: null,
        healthCheck: { path: '/spip.php' },
      });
      expect(await client.dbServer.findUniqueOrThrow({ where: { id: 'd1' }, select: { options: true, revision: true } })).toEqual({ options: { hostMask: '%' }, revision: 0 });
      expect(await client.run.findUniqueOrThrow({ where: { id: 'r1' }, select: { params: true, summary: true, revision: true } })).toEqual({ params: { concurrency: 2 }, summary: { round: 1 }, revision: 0 });
      expect(await client.job.findUniqueOrThrow({ where: { id: 'j1' }, select: { params: true, state: true } })).toEqual({ params: { host: 'old.example.org' }, state: { snapshot: 'x' } });
    } finally {
      await client.$disconnect();
    }
  });

  it("records which existing databases Mutu made: a creation or import on record and no adoption; in doubt, not (kept on destroy)", async () => {
    const MIGRATION = '20261201210000_database_made_by_mutu';
    const sites = ['provisioned', 'imported', 'created', 'adopted', 'unknown', 'failedjob'];
    const file = await olderRegistry(migrationNames.filter((m) => m < MIGRATION), `
        INSERT INTO "Platform" (id, name, profile, codePath, createdAt, updatedAt) VALUES ('p1', 'spip-4.2', 'spip', '/srv/spip', 0, 0);
        INSERT INTO "DbServer" (id, name, engine, createdAt, updatedAt) VALUES ('d1', 'maria', 'mysql', 0, 0);
        ${sites.map((s) => `INSERT INTO "Site" (id, host, status, platformId, createdAt, updatedAt) VALUES ('${s}', '${s}.example.org', 'active', 'p1', 0, 0);
        INSERT INTO "SiteDatabase" (id, siteId, serverId, name, user, passwordEnc, slot) VALUES ('db-${s}', '${s}', 'd1', 'mu_${s}', 'mu_${s}', 'v1:x:y:z', 'db:mu_${s}');`).join('\n')}
        INSERT INTO "Job" (id, kind, status, siteId) VALUES ('j1', 'site.provision', 'succeeded', 'provisioned');
        INSERT INTO "Job" (id, kind, status, siteId) VALUES ('j2', 'site.import', 'succeeded', 'imported');
        INSERT INTO "Job" (id, kind, status, siteId) VALUES ('j3', 'site.provision', 'failed', 'failedjob');
        INSERT INTO "AuditEvent" (action, source, siteId, ok, at) VALUES ('site.create', 'cli', 'created', true, 0);
        INSERT INTO "AuditEvent" (action, source, siteId, ok, at) VALUES ('site.adopt', 'cli', 'adopted', true, 0);
        INSERT INTO "AuditEvent" (action, source, siteId, ok, at) VALUES ('site.create', 'cli', 'adopted', true, 0);
      `);
    await migrateRegistry(loadConfig({ MUTU_DATA_DIR: path.dirname(file), MUTU_SECRET_KEY: 'ef'.repeat(32) }));
    const check = sqlite(file);
    try {
      const rows = await check.execute('SELECT siteId, createdByMutu FROM "SiteDatabase" ORDER BY siteId');
      expect(Object.fromEntries(rows.rows.map((r) => [r.siteId, Number(r.createdByMutu)]))).toEqual({ adopted: 0, created: 1, failedjob: 0, imported: 1, provisioned: 1, unknown: 0 });
    } finally {
      check.close();
    }
  });
});

describe('`npx prisma migrate deploy` by hand', () => {
  const prismaCli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  const deploy = (env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_'))) as NodeJS.ProcessEnv;
      const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], { cwd: projectRoot, env: { ...clean, ...env, PRISMA_HIDE_UPDATE_MESSAGE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });

  it('on a data folder that does not exist, names it and says what to run, and creates nothing', async () => {
    const missing = path.join(tempDir(), 'not-made-yet');
    const r = await deploy({ MUTU_DATA_DIR: missing });
    expect(r.code).not.toBe(0);
    expect(r.output).not.toContain('External error');
    expect(r.output).toContain(`The registry's folder ${missing} does not exist`);
    expect(r.output).toContain('npx mutu start');
    expect(r.output).toContain(`mkdir -p -m 700 ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('in an existing folder, makes the registry 0600 whatever the umask', async () => {
    const dir = tempDir();
    const before = process.umask(0o022);
    try {
      const r = await deploy({ MUTU_DATA_DIR: dir });
      expect(r.code, r.output).toBe(0);
    } finally {
      process.umask(before);
    }
    expect(fs.statSync(path.join(dir, 'mutu.db')).mode & 0o777).toBe(0o600);
  });
});
