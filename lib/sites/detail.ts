import { db } from '../db/client';
import { upgradablePlatformIds } from '../domain/site-list';
import { SITE_MEASURES } from './site-page';

const num = (v: bigint | null) => (v === null ? null : Number(v));

/**
 * Everything one site's page and `mutu sites show` tell about a site, read once for both:
 * its platform, addresses, database (never its password: not even loaded),
 * webmasters, certificate, measures, whether an upgrade is available and its recent jobs.
 * Null when no site has this id.
 */
export async function getSiteDetail(siteId: string, recentJobs = 10) {
  const [site, platforms] = await Promise.all([
    db.site.findUnique({
      where: { id: siteId },
      select: {
        id: true,
        host: true,
        status: true,
        redirectTo: true,
        createdAt: true,
        upgradedAt: true,
        disabledAt: true,
        lastExportAt: true,
        ...SITE_MEASURES,
        unixUser: true,
        node: true,
        certificate: true,
        platformId: true,
        platform: { select: { name: true, profile: true, version: true } },
        aliases: { select: { host: true, redirect: true }, orderBy: { host: 'asc' } },
        database: { select: { name: true, user: true, tablePrefix: true, shared: true, createdByMutu: true, sizeBytes: true, server: { select: { name: true, engine: true, host: true, port: true } } } },
        webmasters: { select: { user: { select: { email: true, name: true, lastLoginAt: true } } }, orderBy: { createdAt: 'asc' } },
      },
    }),
    db.platform.findMany({ select: { id: true, profile: true, version: true, status: true } }),
  ]);
  if (!site) return null;
  const jobs = await db.job.findMany({
    // Earlier failed attempts under this host no longer point at a site row: match them by target.
    where: { OR: [{ siteId: site.id }, { target: site.host }] },
    orderBy: { createdAt: 'desc' },
    take: recentJobs,
    select: { id: true, kind: true, status: true, step: true, progress: true, error: true, createdAt: true, startedAt: true, finishedAt: true },
  });
  const { diskBytes, diskImgBytes, diskLocalBytes, diskTmpBytes, dbBytes, sizesMeasuredAt, healthStatus, healthCode, healthDetail, healthLatencyMs, healthCheckedAt, ...rest } = site;
  return {
    ...rest,
    upgradable: upgradablePlatformIds(platforms).has(site.platformId),
    database: site.database && { ...site.database, sizeBytes: num(site.database.sizeBytes) },
    webmasters: site.webmasters.map((w) => w.user),
    sizes: { total: num(diskBytes), img: num(diskImgBytes), local: num(diskLocalBytes), tmp: num(diskTmpBytes), db: num(dbBytes), measuredAt: sizesMeasuredAt },
    health: { status: healthStatus, code: healthCode, detail: healthDetail, latencyMs: healthLatencyMs, checkedAt: healthCheckedAt },
    jobs,
  };
}

export type SiteDetail = NonNullable<Awaited<ReturnType<typeof getSiteDetail>>>;
