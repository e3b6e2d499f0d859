import { db } from '../db/client';
import { forPeople } from '../audit/query';

/**
 * The audit trail of one site, newest first. Matches the host exactly: the audit filter's
 * `site` is a substring search, which would also bring in the events of every site whose
 * host ends with this one (blog.example.org under example.org).
 */
export async function siteAuditTrail(host: string, limit = 20) {
  return forPeople(await db.auditEvent.findMany({ where: { siteHost: host }, orderBy: { id: 'desc' }, take: limit }));
}

/** A site's measures as its pages show them (sizes, health), to spread into a Prisma select. */
export const SITE_MEASURES = {
  diskBytes: true,
  diskImgBytes: true,
  diskLocalBytes: true,
  diskTmpBytes: true,
  dbBytes: true,
  sizesMeasuredAt: true,
  healthStatus: true,
  healthCode: true,
  healthDetail: true,
  healthLatencyMs: true,
  healthCheckedAt: true,
} as const;

/** The sites a user looks after (admins included: only those they are a webmaster of), by host, as /my shows them. */
export async function sitesOfWebmaster(userId: string) {
  const links = await db.siteWebmaster.findMany({
    where: { userId },
    orderBy: { site: { host: 'asc' } },
    select: {
      site: {
        select: {
          id: true,
          host: true,
          status: true,
          createdAt: true,
          upgradedAt: true,
          ...SITE_MEASURES,
          platform: { select: { name: true, profile: true } },
        },
      },
    },
  });
  return links.map((l) => l.site);
}
