import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prisma } from '@prisma/client';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { newPostgresDatabase, postgresDatabaseUrl, useTestFarm } from '../helpers/registry';
import { db, registryClient } from '@/lib/db/client';
import { enqueue } from '@/lib/jobs/queue';
import { pruneHandler } from '@/lib/jobs/handlers/prune';
import { recordAudit } from '@/lib/audit/record';
import { countAttempt } from '@/lib/auth/rate-limit';
import { COPY_ORDER } from '@/lib/registry/copy';

// `mutu registry copy`: this file's registry (SQLite, or PostgreSQL in the suite's second pass)
// into an empty PostgreSQL database, and from there into a new SQLite file.
const farm = useTestFarm();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-copy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const actor = { source: 'cli', ip: 'cli', email: 'cli:test' } as const;

interface Copied {
  from: string;
  to: string;
  tables: { table: string; rows: number; sha256: string }[];
}

it('copies every model of the schema: a new one must be given its place in COPY_ORDER', () => {
  expect(COPY_ORDER.map((t) => t.model).sort()).toEqual(Object.values(Prisma.ModelName).sort());
});

describe.skipIf(!process.env.MUTU_TEST_POSTGRES_URL)('mutu registry copy', () => {
  const target = newPostgresDatabase({ empty: true });
  let first: Copied;

  it('copies every table into an empty PostgreSQL registry, checked by counts and checksums', async () => {
    const user = await db.user.create({ data: { email: 'wm@example.org', role: 'webmaster', passwordHash: 'h', lastLoginAt: new Date('2026-03-04T05:06:07.089Z') } });
    const platform = await db.platform.create({ data: { name: 'spip-4.3', profile: 'spip', version: '4.3.5', codePath: '/srv/spip', eolDate: new Date('2030-01-01T00:00:00Z') } });
    const server = await db.dbServer.create({ data: { name: 'maria', engine: 'mysql', host: '127.0.0.1', port: 3306, options: { hostMask: '%' } } });
    for (let i = 0; i < 3; i++) {
      const site = await db.site.create({
        data: {
          host: `s${i}.example.org`,
          status: 'active',
          platformId: platform.id,
          diskBytes: 123_456_789_012_345n + BigInt(i),
          healthLatencyMs: 12,
          aliases: { create: { host: `www.s${i}.example.org` } },
          webmasters: { create: { userId: user.id } },
          database: { create: { serverId: server.id, name: `s${i}`, user: `s${i}`, passwordEnc: 'v1:a:b:c', slot: `db:s${i}` } },
        },
      });
      const job = await enqueue(pruneHandler, {}, { actor, siteId: site.id, lockKey: site.host });
      await db.job.update({ where: { id: job.id }, data: { status: 'succeeded', progress: 0.3333333333333333, finishedAt: new Date() } });
      await recordAudit(actor, { action: 'site.create', siteId: site.id, siteHost: site.host, details: { é: 'accents ü' } });
    }
    await countAttempt('login:email:x@example.org', { name: 'login', max: 5, windowMs: 60_000, lockMs: 60_000, maxLockMs: 3_600_000 });
    await db.setting.create({ data: { key: 'maintenance', value: 'back soon\nline two' } });

    const r = await runCli(['registry', 'copy', '--to', target, '--json'], { env: farm.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    first = JSON.parse(r.stdout) as Copied;
    const rows = Object.fromEntries(first.tables.map((t) => [t.table, t.rows]));
    expect(rows).toMatchObject({ User: 1, Platform: 1, DbServer: 1, Site: 3, SiteAlias: 3, SiteDatabase: 3, SiteWebmaster: 3, Job: 3, Setting: 1, RateLimit: 1 });
    expect(rows.JobLog).toBeGreaterThanOrEqual(3);
    expect(rows.AuditEvent).toBeGreaterThanOrEqual(3);

    const copy = registryClient(target);
    try {
      const site = await copy.site.findUniqueOrThrow({ where: { host: 's2.example.org' }, include: { database: true, aliases: true } });
      expect(site.diskBytes).toBe(123_456_789_012_347n);
      expect(site.database?.passwordEnc).toBe('v1:a:b:c');
      expect((await copy.user.findUniqueOrThrow({ where: { email: 'wm@example.org' } })).lastLoginAt?.toISOString()).toBe('2026-03-04T05:06:07.089Z');
      // Rows came with their ids; the next log line and audit event follow them.
      const job = await copy.job.findFirstOrThrow();
      const line = await copy.jobLog.create({ data: { jobId: job.id, level: 'info', message: 'after the copy' } });
      expect(line.id).toBeGreaterThan(rows.JobLog!);
    } finally {
      await copy.$disconnect();
    }
  });

  it('refuses a target that holds rows, and a password on the command line', async () => {
    const again = await runCli(['registry', 'copy', '--to', target], { env: farm.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
    const withPassword = new URL(postgresDatabaseUrl('whatever'));
    withPassword.password = 'hunter2';
    const refused = await runCli(['registry', 'copy', '--to', withPassword.href], { env: farm.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('PGPASSWORD');
  });

  it('copies the PostgreSQL registry back into a new SQLite file: the same rows, table by table', async () => {
    const file = path.join(dir, 'back', 'mutu.db');
    const r = await runCli(['registry', 'copy', '--to', file, '--json'], { env: { ...farm.env, MUTU_REGISTRY_URL: target } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const back = JSON.parse(r.stdout) as Copied;
    expect(back.to).toBe(file);
    // The PostgreSQL copy has one more log line (the test's own): every other table is the original's, to the checksum.
    const strip = (c: Copied) => c.tables.filter((t) => t.table !== 'JobLog');
    expect(strip(back)).toEqual(strip(first));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
