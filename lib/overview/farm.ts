import { db } from '../db/client';
import { monthOf } from '../db/dialect';
import { eolState } from '../domain/eol';
import { upgradablePlatformIds } from '../domain/site-list';
import { UNWELL_STATUSES } from '../domain/health';
import sql from 'sql-template-tag';

const TOP_DISK = 10;
const UNWELL_SHOWN = 10;
const GROWTH_MONTHS = 12;

/**
 * The farm's shape for the overview: platforms with their sites and end of life, sites
 * that need a look (down, erring, needing install), the biggest sites and the growth by month. A few grouped queries, none
 * per row, whatever the number of sites.
 */
export async function farmOverview(now = new Date()) {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (GROWTH_MONTHS - 1), 1));
  const [platforms, perPlatform, down, biggest, created, health] = await Promise.all([
    db.platform.findMany({ orderBy: [{ profile: 'asc' }, { name: 'asc' }] }),
    db.site.groupBy({ by: ['platformId'], _count: { _all: true } }),
    // Sorted whole: an index on the check's time would cost a PostgreSQL registry its in-place
    // updates (HOT) at every probe of every site, for a list a farm seldom has many sites in.
    db.site.findMany({
      where: { healthStatus: { in: UNWELL_STATUSES }, healthCheckedAt: { not: null } },
      orderBy: [{ healthCheckedAt: 'desc' }, { host: 'asc' }],
      take: UNWELL_SHOWN,
      select: { host: true, healthStatus: true, healthCode: true, healthDetail: true, healthCheckedAt: true },
    }),
    db.site.findMany({ where: { diskBytes: { not: null } }, orderBy: { diskBytes: 'desc' }, take: TOP_DISK, select: { host: true, diskBytes: true, dbBytes: true } }),
    db.$queryRaw<{ month: string; n: bigint | number }[]>(sql`
      SELECT ${monthOf(sql`"createdAt"`)} AS month, COUNT(*) AS n FROM "Site"
      WHERE "createdAt" >= ${since.toISOString()} GROUP BY month ORDER BY month`),
    db.site.groupBy({ by: ['healthStatus'], _count: { _all: true } }),
  ]);
  const counts = new Map(perPlatform.map((g) => [g.platformId, g._count._all]));
  const byHealth = Object.fromEntries(health.map((g) => [g.healthStatus, g._count._all])) as Record<string, number>;
  const upgradable = upgradablePlatformIds(platforms);
  const byMonth = new Map(created.map((r) => [r.month, Number(r.n)]));
  // The sites made before the chart's first month: every site is in one health group.
  let cumulative = health.reduce((n, g) => n + g._count._all, 0) - created.reduce((n, r) => n + Number(r.n), 0);
  const growth = Array.from({ length: GROWTH_MONTHS }, (_, i) => {
    const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + i, 1));
    const month = d.toISOString().slice(0, 7);
    const added = byMonth.get(month) ?? 0;
    cumulative += added;
    return { month, added, total: cumulative };
  });
  return {
    platforms: platforms.map((p) => ({
      id: p.id,
      name: p.name,
      profile: p.profile,
      version: p.version,
      status: p.status,
      sites: counts.get(p.id) ?? 0,
      eolDate: p.eolDate,
      eol: eolState(p.eolDate, now),
      upgradeAvailable: upgradable.has(p.id),
    })),
    health: byHealth,
    downCount: UNWELL_STATUSES.reduce((n, status) => n + (byHealth[status] ?? 0), 0),
    down,
    biggest: biggest.map((s) => ({ host: s.host, diskBytes: Number(s.diskBytes ?? 0), dbBytes: s.dbBytes === null ? null : Number(s.dbBytes) })),
    growth,
  };
}
export type FarmOverview = Awaited<ReturnType<typeof farmOverview>>;
