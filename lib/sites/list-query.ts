import { Prisma } from '@prisma/client';
import { db } from '../db/client';
import { containsText, matchesHostPattern } from '../db/dialect';
import { isPattern } from '../domain/pattern';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { defaultDirection, upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { UNWELL_STATUSES } from '../domain/health';
import { certificateState, dueBefore, EXPIRY_WARNING_DAYS } from '../domain/certificates';

const SORT_COLUMNS: Record<SiteListQuery['sort'], Prisma.Sql> = {
  host: Prisma.sql`s."host"`,
  created: Prisma.sql`s."createdAt"`,
  upgraded: Prisma.sql`s."upgradedAt"`,
  disk: Prisma.sql`s."diskBytes"`,
};

/** The list's filters as SQL conditions over s (Site), p (Platform), v (DbServer). */
function filterSql(query: SiteListQuery, upgradable: Set<string>): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (query.q) {
    where.push(isPattern(query.q) ? matchesHostPattern(Prisma.sql`s."host"`, query.q) : containsText(Prisma.sql`s."host"`, query.q));
  }
  if (query.status) where.push(Prisma.sql`s."status" = ${query.status}`);
  if (query.platform) where.push(Prisma.sql`p."name" = ${query.platform}`);
  if (query.engine) where.push(Prisma.sql`v."engine" = ${query.engine}`);
  if (query.server) where.push(Prisma.sql`v."name" = ${query.server}`);
  if (query.webmaster) {
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId" WHERE w."siteId" = s."id" AND ${containsText(Prisma.sql`u."email"`, query.webmaster)})`);
  }
  if (query.upgradable) where.push(upgradable.size ? Prisma.sql`s."platformId" IN (${Prisma.join([...upgradable])})` : Prisma.sql`0 = 1`);
  if (query.down) where.push(Prisma.sql`s."healthStatus" IN (${Prisma.join(UNWELL_STATUSES)})`);
  if (query.tls === 'none') where.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Certificate" c WHERE c."siteId" = s."id")`);
  if (query.tls === 'expiring') {
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Certificate" c WHERE c."siteId" = s."id" AND c."notAfter" <= ${dueBefore(new Date(), EXPIRY_WARNING_DAYS)})`);
  }
  if (query.tls === 'failed') where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Certificate" c WHERE c."siteId" = s."id" AND c."lastError" IS NOT NULL)`);
  return where;
}

const upgradableIds = async () =>
  upgradablePlatformIds(await db.platform.findMany({ select: { id: true, profile: true, version: true, status: true } }));

/**
 * Every host the list's filters give, on all pages, in host order (at most `limit`): what
 * a bulk action on "these sites" works on.
 */
export async function listFilteredHosts(query: SiteListQuery, limit = 20_000): Promise<string[]> {
  const where = filterSql(query, await upgradableIds());
  const rows = await db.$queryRaw<{ host: string }[]>`
    SELECT s."host" AS host FROM "Site" s
    JOIN "Platform" p ON p."id" = s."platformId"
    LEFT JOIN "SiteDatabase" d ON d."siteId" = s."id"
    LEFT JOIN "DbServer" v ON v."id" = d."serverId"
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY s."host" ASC
    LIMIT ${limit}`;
  return rows.map((r) => r.host);
}

/**
 * One page of the sites list with its total, in a constant number of queries whatever the
 * page: the ids of the page (filtered, sorted, counted in one statement), then their rows
 * with platform, database and webmasters in one batch each.
 */
export async function listSites(query: SiteListQuery) {
  const upgradable = await upgradableIds();
  const where = filterSql(query, upgradable);

  const dir = (query.dir ?? defaultDirection(query.sort)) === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const offset = (query.page - 1) * query.perPage;
  const ids = await db.$queryRaw<{ id: string; total: bigint | number }[]>`
    SELECT s."id" AS id, COUNT(*) OVER () AS total
    FROM "Site" s
    JOIN "Platform" p ON p."id" = s."platformId"
    LEFT JOIN "SiteDatabase" d ON d."siteId" = s."id"
    LEFT JOIN "DbServer" v ON v."id" = d."serverId"
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY ${SORT_COLUMNS[query.sort]} ${dir} NULLS LAST, s."host" ASC
    LIMIT ${query.perPage} OFFSET ${offset}`;
  const total = ids.length ? Number(ids[0]!.total) : offset > 0 ? await countOnly(where) : 0;

  const rows = await db.site.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: {
      platform: { select: { name: true, profile: true, version: true } },
      database: { select: { name: true, user: true, tablePrefix: true, shared: true, sizeBytes: true, server: { select: { name: true, engine: true } } } },
      webmasters: { select: { user: { select: { email: true } } } },
      certificate: { select: { issuer: true, notAfter: true, source: true, lastError: true } },
    },
  });
  const now = new Date();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sites = ids.map((r) => byId.get(r.id)!).filter(Boolean).map((s) => ({
    id: s.id,
    host: s.host,
    status: s.status,
    adminPath: (PROFILES[s.platform.profile as ProfileName] ?? PROFILES.generic).adminPath,
    platform: s.platform,
    upgradable: upgradable.has(s.platformId),
    database: s.database ? { ...s.database, sizeBytes: s.database.sizeBytes === null ? null : Number(s.database.sizeBytes) } : null,
    webmasters: s.webmasters.map((w) => w.user.email),
    disk: {
      total: num(s.diskBytes),
      img: num(s.diskImgBytes),
      local: num(s.diskLocalBytes),
      tmp: num(s.diskTmpBytes),
      db: num(s.dbBytes),
      measuredAt: s.sizesMeasuredAt,
    },
    health: { status: s.healthStatus, code: s.healthCode, detail: s.healthDetail, latencyMs: s.healthLatencyMs, checkedAt: s.healthCheckedAt },
    tls: s.certificate ? { ...s.certificate, state: certificateState(s.certificate, now) } : null,
    createdAt: s.createdAt,
    upgradedAt: s.upgradedAt,
    lastExportAt: s.lastExportAt,
  }));
  return { sites, total, page: query.page, perPage: query.perPage, pages: Math.max(1, Math.ceil(total / query.perPage)) };
}

const num = (v: bigint | null) => (v === null ? null : Number(v));

async function countOnly(where: Prisma.Sql[]): Promise<number> {
  const r = await db.$queryRaw<{ n: bigint | number }[]>`
    SELECT COUNT(*) AS n FROM "Site" s
    JOIN "Platform" p ON p."id" = s."platformId"
    LEFT JOIN "SiteDatabase" d ON d."siteId" = s."id"
    LEFT JOIN "DbServer" v ON v."id" = d."serverId"
    WHERE ${Prisma.join(where, ' AND ')}`;
  return Number(r[0]?.n ?? 0);
}

export type SiteList = Awaited<ReturnType<typeof listSites>>;
export type SiteListItem = SiteList['sites'][number];
