import { expect, it } from 'vitest';
import { testRegistry, useTestFarm } from '../helpers/registry';
import sql from 'sql-template-tag';
import { db, registryClient, transactionNow } from '@/lib/db/client';
import { modelRowsNow } from '@/lib/db/model-rows';
import { recordAudit } from '@/lib/audit/record';
import { listAudit } from '@/lib/audit/query';
import { farmOverview } from '@/lib/overview/farm';

// The raw SQL and filters that lib/db/dialect.ts words per provider, on this run's registry
// (SQLite, or PostgreSQL in the suite's second pass): each must mean the same on both.
const farm = useTestFarm();

it('counts the sites created each month of the overview, in UTC', async () => {
  const platform = await db.platform.create({ data: { name: 'p', profile: 'generic', codePath: '/srv/p' } });
  const now = new Date();
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 0, 0, 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 28, 23, 59, 59));
  for (const [i, createdAt] of [thisMonth, thisMonth, lastMonth].entries()) {
    await db.site.create({ data: { host: `m${i}.example.org`, status: 'active', platformId: platform.id, createdAt } });
  }
  const { growth } = await farmOverview(now);
  const month = (d: Date) => d.toISOString().slice(0, 7);
  expect(growth.find((g) => g.month === month(thisMonth))?.added).toBe(2);
  expect(growth.find((g) => g.month === month(lastMonth))?.added).toBe(1);
  expect(growth[growth.length - 1]!.total).toBe(3);
});

it("lists the overview's ten latest checked unwell sites, whatever their kind of trouble, and counts them all", async () => {
  const platform = await db.platform.create({ data: { name: 'h', profile: 'generic', codePath: '/srv/h' } });
  const base = Date.UTC(2026, 0, 1);
  const kinds = ['down', 'error', 'needs-install', 'up', 'unknown'] as const;
  // 25 sites, each checked a minute after the one before, their kinds in turn; one unwell never checked.
  for (let i = 0; i < 25; i++) {
    const healthStatus = kinds[i % kinds.length]!;
    await db.site.create({ data: { host: `h${String(i).padStart(2, '0')}.example.org`, status: 'active', platformId: platform.id, healthStatus, healthCheckedAt: healthStatus === 'unknown' ? null : new Date(base + i * 60_000) } });
  }
  await db.site.create({ data: { host: 'never-checked.example.org', status: 'active', platformId: platform.id, healthStatus: 'down' } });
  const { down, downCount, health } = await farmOverview(new Date(base + 3_600_000));
  const unwell = Array.from({ length: 25 }, (_, i) => i).filter((i) => i % kinds.length < 3).reverse();
  expect(down.map((s) => s.host)).toEqual(unwell.slice(0, 10).map((i) => `h${String(i).padStart(2, '0')}.example.org`));
  expect(down.map((s) => s.healthCheckedAt!.getTime())).toEqual(unwell.slice(0, 10).map((i) => base + i * 60_000));
  expect(downCount).toBe(unwell.length + 1);
  expect(health).toMatchObject({ down: 6, error: 5, 'needs-install': 5, up: 5 }); // unknown: this file's other sites too
});

it('finds audit events by a part of the actor or of the host, whatever the case of its letters', async () => {
  const actor = { source: 'cli', ip: 'cli', email: 'Jo.Admin@Example.org' } as const;
  await recordAudit(actor, { action: 'site.create', siteHost: 'Club_Photo.example.org' });
  await recordAudit({ ...actor, email: 'other@example.org' }, { action: 'site.create', siteHost: 'other.example.org' });
  expect((await listAudit({ actor: 'jo.admin', limit: 50 })).events.map((e) => e.actorEmail)).toEqual(['Jo.Admin@Example.org']);
  expect((await listAudit({ site: 'CLUB_photo', limit: 50 })).events.map((e) => e.siteHost)).toEqual(['Club_Photo.example.org']);
  // `_` is a letter here, not LIKE's any-character.
  expect((await listAudit({ site: 'b_p', limit: 50 })).events).toHaveLength(1);
  expect((await listAudit({ site: 'bxp', limit: 50 })).events).toHaveLength(0);
});

it('reads a row by raw SQL (modelRowsNow) exactly as the model query gives it', async () => {
  const platform = await db.platform.create({ data: { name: 'raw', profile: 'generic', codePath: '/srv/raw', healthCheck: { path: '/ok' } } });
  const site = await db.site.create({ data: { host: 'raw.example.org', status: 'active', platformId: platform.id, diskBytes: 5n * 2n ** 40n, healthCheckedAt: new Date('2026-12-03T10:11:12.345Z') } });
  // A Json column holding a JSON string, a Float, a Boolean set, a DateTime with milliseconds.
  const job = await db.job.create({ data: { kind: 'test.raw', status: 'succeeded', params: { a: [1, 'b'], c: null }, state: 'only a string', progress: 0.25, cancelRequested: true, finishedAt: new Date('2026-12-03T10:11:12.345Z') } });
  expect(await modelRowsNow('Job', sql`SELECT * FROM "Job" WHERE "id" = ${job.id}`)).toEqual([await db.job.findUnique({ where: { id: job.id } })]);
  expect(await modelRowsNow('Site', sql`SELECT * FROM "Site" WHERE "id" = ${site.id}`)).toEqual([await db.site.findUnique({ where: { id: site.id } })]);
  expect(await modelRowsNow('Platform', sql`SELECT * FROM "Platform" WHERE "id" = ${platform.id}`)).toEqual([await db.platform.findUnique({ where: { id: platform.id } })]);
});

it('commits what a raw transaction (transactionNow) wrote, keeps nothing of one that threw, and leaves no transaction open', async () => {
  // Another client: its own connections, which see only what was committed.
  const other = registryClient(farm.env.MUTU_REGISTRY_URL!);
  try {
    for (let i = 0; i < 12; i++) {
      await transactionNow(async (tx) => {
        await tx.execute(sql`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (${`raw.kept.${i}`}, ${String(i)}, ${new Date()})`);
        expect(await tx.query(sql`SELECT "value" FROM "Setting" WHERE "key" = ${`raw.kept.${i}`}`)).toEqual([{ value: String(i) }]);
      });
      await expect(
        transactionNow(async (tx) => {
          await tx.execute(sql`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (${`raw.undone.${i}`}, '1', ${new Date()})`);
          throw new Error('the work failed');
        }),
      ).rejects.toThrow('the work failed');
    }
    const seen = await other.setting.findMany({ where: { key: { startsWith: 'raw.' } }, select: { key: true } });
    expect(seen.map((s) => s.key).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `raw.kept.${i}`).sort());
    // Every connection went back outside a transaction (PostgreSQL's adapter leaves COMMIT and
    // ROLLBACK to its caller); on SQLite the other client's write would wait on a lock left held.
    if (testRegistry() === 'postgres') {
      const open = await other.$queryRaw<{ n: number }[]>(sql`SELECT count(*)::int AS "n" FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      expect(open).toEqual([{ n: 0 }]);
    }
    await other.setting.create({ data: { key: 'raw.other', value: '1' } });
  } finally {
    await other.$disconnect();
  }
});
