import { db } from '../db/client';
import { listAudit } from '../audit/query';
import { dueBefore, EXPIRY_WARNING_DAYS } from '../domain/certificate-dates';

const DAY_MS = 24 * 3_600_000;

/** Everything the overview shows, in a handful of grouped queries (none per row). */
export async function overview(now = new Date()) {
  const since = new Date(now.getTime() - DAY_MS);
  const [sitesByStatus, usersByRole, activeJobs, failedJobs, succeededJobs, recent, expiring, failedTls, certified] = await Promise.all([
    db.site.groupBy({ by: ['status'], _count: { _all: true }, orderBy: { status: 'asc' } }),
    db.user.groupBy({ by: ['role'], _count: { _all: true } }),
    db.job.groupBy({ by: ['status'], where: { status: { in: ['queued', 'running', 'undoing'] } }, _count: { _all: true } }),
    db.job.count({ where: { status: 'failed', finishedAt: { gte: since } } }),
    db.job.count({ where: { status: 'succeeded', finishedAt: { gte: since } } }),
    listAudit({ limit: 10 }),
    db.certificate.count({ where: { notAfter: { lte: dueBefore(now, EXPIRY_WARNING_DAYS) } } }),
    db.certificate.count({ where: { lastError: { not: null } } }),
    db.certificate.count(),
  ]);
  const jobs = Object.fromEntries(activeJobs.map((g) => [g.status, g._count._all]));
  const roles = Object.fromEntries(usersByRole.map((g) => [g.role, g._count._all]));
  return {
    sites: sitesByStatus.map((g) => ({ status: g.status, count: g._count._all })),
    siteTotal: sitesByStatus.reduce((sum, g) => sum + g._count._all, 0),
    users: { total: (roles.admin ?? 0) + (roles.webmaster ?? 0), admins: roles.admin ?? 0, webmasters: roles.webmaster ?? 0 },
    jobs: {
      queued: jobs.queued ?? 0,
      running: (jobs.running ?? 0) + (jobs.undoing ?? 0),
      failedLastDay: failedJobs,
      succeededLastDay: succeededJobs,
    },
    recentAudit: recent.events,
    /** certificates expiring within EXPIRY_WARNING_DAYS (or expired), failed to renew, and sites with none */
    certificates: { expiring, failed: failedTls, total: certified },
  };
}
export type Overview = Awaited<ReturnType<typeof overview>>;
