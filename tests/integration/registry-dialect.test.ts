import { expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { db } from '@/lib/db/client';
import { recordAudit } from '@/lib/audit/record';
import { listAudit } from '@/lib/audit/query';
import { farmOverview } from '@/lib/overview/farm';

// The raw SQL and filters that lib/db/dialect.ts words per provider, on this run's registry
// (SQLite, or PostgreSQL in the suite's second pass): each must mean the same on both.
useTestFarm();

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
