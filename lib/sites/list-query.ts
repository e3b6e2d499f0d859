import { Prisma } from '@prisma/client';
import { db } from '../db/client';
import { containsText, enumValue, matchesHostPattern } from '../db/dialect';
import { isPattern } from '../domain/pattern';
import { defaultDirection, upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { UNWELL_STATUSES } from '../domain/health';
import { dueBefore, EXPIRY_WARNING_DAYS } from '../domain/certificates';
import { LISTED_JOINS, LISTED_SELECT, toListItem, type ListedRow, type SiteListItem } from './list-row';

const SORT_COLUMNS: Record<SiteListQuery['sort'], Prisma.Sql> = {
  host: Prisma.sql`s."host"`,
  created: Prisma.sql`s."createdAt"`,
  upgraded: Prisma.sql`s."upgradedAt"`,
  disk: Prisma.sql`s."diskBytes"`,
};

/** The list's filters as SQL conditions over s (Site) and p (Platform), joined only when a filter needs it. */
export function filterSql(query: SiteListQuery, upgradable: Set<string>): { from: Prisma.Sql; where: Prisma.Sql } {
  const where: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (query.q) {
    where.push(isPattern(query.q) ? matchesHostPattern(Prisma.sql`s."host"`, query.q) : containsText(Prisma.sql`s."host"`, query.q));
  }
  if (query.status) {
    // Sorted by host, the (status, host) index gives the page; sorted otherwise, the status is read
    // from the sort's covering index (`|| ''` keeps the planner from choosing the status index and
    // sorting the whole match instead, which it does when the registry has no statistics yet).
    where.push(query.sort === 'host' ? Prisma.sql`s."status" = ${enumValue(query.status, 'SiteStatus')}` : Prisma.sql`s."status" || '' = ${query.status}`);
  }
  if (query.platform) where.push(Prisma.sql`p."name" = ${query.platform}`);
  if (query.engine || query.server) {
    // The site's own copy of its database's server (Site.dbServerId, kept by the registry's
    // triggers), in a list built once from the few servers: the count is read off the
    // (dbServerId, status, host) index alone (150 ms → 2 ms for the active MariaDB sites of 100,000).
    const onServer = [query.engine && Prisma.sql`v."engine" = ${enumValue(query.engine, 'DbEngine')}`, query.server && Prisma.sql`v."name" = ${query.server}`].filter((c): c is Prisma.Sql => !!c);
    where.push(Prisma.sql`s."dbServerId" IN (SELECT v."id" FROM "DbServer" v WHERE ${Prisma.join(onServer, ' AND ')})`);
  }
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
  // A join the filters do not need would keep the planner from reading a page off the sort's index.
  const joins: Prisma.Sql[] = [];
  if (query.platform) joins.push(Prisma.sql`JOIN "Platform" p ON p."id" = s."platformId"`);
  return { from: Prisma.sql`"Site" s ${joins.length ? Prisma.join(joins, ' ') : Prisma.empty}`, where: Prisma.join(where, ' AND ') };
}

const upgradableIds = async () =>
  upgradablePlatformIds(await db.platform.findMany({ select: { id: true, profile: true, version: true, status: true } }));

/**
 * Every host the list's filters give, on all pages, in host order (at most `limit`): what
 * a bulk action on "these sites" works on.
 */
export async function listFilteredHosts(query: SiteListQuery, limit = 20_000): Promise<string[]> {
  const { from, where } = filterSql(query, await upgradableIds());
  const rows = await db.$queryRaw<{ host: string }[]>`SELECT s."host" AS host FROM ${from} WHERE ${where} ORDER BY s."host" ASC LIMIT ${limit}`;
  return rows.map((r) => r.host);
}

/**
 * The list's ORDER BY over s (Site): the sort's column in its direction, unmeasured sites last, the
 * host ascending as tiebreak; `reversed`, every term turned around (a page read from the end).
 */
export function orderSql(query: SiteListQuery, reversed: boolean): Prisma.Sql {
  const desc = ((query.dir ?? defaultDirection(query.sort)) === 'desc') !== reversed;
  const host = Prisma.sql`s."host" ${(query.sort === 'host' ? desc : reversed) ? Prisma.sql`DESC` : Prisma.sql`ASC`}`;
  if (query.sort === 'host') return host;
  return Prisma.sql`${SORT_COLUMNS[query.sort]} ${desc ? Prisma.sql`DESC` : Prisma.sql`ASC`} ${reversed ? Prisma.sql`NULLS FIRST` : Prisma.sql`NULLS LAST`}, ${host}`;
}

/**
 * The statement giving the hosts of one page, in the list's order, or null past the end. The
 * order is the sort's index order (see the schema), so the page is read off the index alone; a
 * page past the middle is read from the end in the reverse order (`reversed`), so no page
 * skips more than half of the rows.
 */
export function pageHostsSql(query: SiteListQuery, filter: { from: Prisma.Sql; where: Prisma.Sql }, total: number): { sql: Prisma.Sql; reversed: boolean } | null {
  const offset = (query.page - 1) * query.perPage;
  if (offset >= total) return null;
  const reversed = offset + query.perPage / 2 > total / 2;
  const order = orderSql(query, reversed);
  const limit = reversed ? Math.min(query.perPage, total - offset) : query.perPage;
  const skip = reversed ? Math.max(0, total - offset - query.perPage) : offset;
  return { sql: Prisma.sql`SELECT s."host" AS host FROM ${filter.from} WHERE ${filter.where} ORDER BY ${order} LIMIT ${limit} OFFSET ${skip}`, reversed };
}

async function pageHosts(query: SiteListQuery, filter: { from: Prisma.Sql; where: Prisma.Sql }, total: number): Promise<string[]> {
  const page = pageHostsSql(query, filter, total);
  if (!page) return [];
  const hosts = (await db.$queryRaw<{ host: string }[]>(page.sql)).map((r) => r.host);
  return page.reversed ? hosts.reverse() : hosts;
}

type Filter = ReturnType<typeof filterSql>;

async function countSites(filter: Filter): Promise<number> {
  const counted = await db.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM ${filter.from} WHERE ${filter.where}`;
  return Number(counted[0]?.n ?? 0);
}

/**
 * The rows of the given hosts, in their order: one statement for the sites with their platform,
 * database and certificate, one for their webmasters. Raw SQL rather than nested includes:
 * mapping Prisma's nested results cost four times the queries' own time at 1,000 rows a page.
 */
async function rowsOf(hosts: string[], upgradable: Set<string>) {
  if (!hosts.length) return [];
  const rows = await db.$queryRaw<ListedRow[]>`SELECT ${LISTED_SELECT} FROM "Site" s ${LISTED_JOINS} WHERE s."host" IN (${Prisma.join(hosts)})`;
  const emails = new Map<string, string[]>();
  const webmasters = await db.$queryRaw<{ siteId: string; email: string }[]>`
    SELECT w."siteId" AS "siteId", u."email" AS "email" FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId"
    WHERE w."siteId" IN (${Prisma.join(rows.map((r) => r.id))}) ORDER BY w."createdAt", u."email"`;
  for (const w of webmasters) emails.set(w.siteId, [...(emails.get(w.siteId) ?? []), w.email]);
  const now = new Date();
  const byHost = new Map(rows.map((r) => [r.host, r]));
  return hosts.flatMap((h) => byHost.get(h) ?? []).map((s) => toListItem(s, emails.get(s.id) ?? [], upgradable, now));
}

/**
 * One page of the sites list with its total, in a constant number of queries whatever the
 * page: the count, the hosts of the page (off an index), then their rows.
 */
export async function listSites(query: SiteListQuery) {
  const upgradable = await upgradableIds();
  const filter = filterSql(query, upgradable);
  const total = await countSites(filter);
  const sites = await rowsOf(await pageHosts(query, filter, total), upgradable);
  return { sites, total, page: query.page, perPage: query.perPage, pages: Math.max(1, Math.ceil(total / query.perPage)) };
}

/**
 * Every site the filters give, in the list's order, a page at a time (at most `limit`): what the
 * command line prints as it reads, so a farm of 100,000 sites is never held in memory at once.
 */
export async function* eachListedSite(query: SiteListQuery, limit = Infinity): AsyncGenerator<SiteListItem[]> {
  const upgradable = await upgradableIds();
  const filter = filterSql(query, upgradable);
  const total = await countSites(filter);
  const wanted = Math.min(total, limit);
  for (let page = 1; (page - 1) * query.perPage < wanted; page++) {
    const hosts = await pageHosts({ ...query, page }, filter, total);
    yield await rowsOf(hosts.slice(0, wanted - (page - 1) * query.perPage), upgradable);
  }
}

/** What the list's platform and server filters offer. */
export async function listFilterChoices() {
  const [platforms, servers] = await Promise.all([
    db.platform.findMany({ select: { name: true, version: true, status: true }, orderBy: { name: 'asc' } }),
    db.dbServer.findMany({ select: { name: true, engine: true }, orderBy: { name: 'asc' } }),
  ]);
  return { platforms, servers };
}

export const farmHasNoSite = async () => (await db.site.count()) === 0;

export type SiteList = Awaited<ReturnType<typeof listSites>>;
export type { SiteListItem };
