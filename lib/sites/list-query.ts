import { db } from '../db/client';
import { upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { filterSql, orderSql } from './list-sql';
import { LISTED_JOINS, LISTED_SELECT, toListItem, type ListedRow, type SiteListItem } from './list-row';
import sql, { join, type Sql } from 'sql-template-tag';

const upgradableIds = async () =>
  upgradablePlatformIds(await db.platform.findMany({ select: { id: true, profile: true, version: true, status: true } }));

/**
 * Every host the list's filters give, on all pages, in host order (at most `limit`): what
 * a bulk action on "these sites" works on.
 */
export async function listFilteredHosts(query: SiteListQuery, limit = 20_000): Promise<string[]> {
  const { from, where } = filterSql(query, await upgradableIds());
  const rows = await db.$queryRaw<{ host: string }[]>(sql`SELECT s."host" AS host FROM ${from} WHERE ${where} ORDER BY s."host" ASC LIMIT ${limit}`);
  return rows.map((r) => r.host);
}

/**
 * The statement giving the hosts of one page, in the list's order, or null past the end. The
 * order is the sort's index order (see the schema), so the page is read off the index alone; a
 * page past the middle is read from the end in the reverse order (`reversed`), so no page
 * skips more than half of the rows.
 */
export function pageHostsSql(query: SiteListQuery, filter: { from: Sql; where: Sql }, total: number): { sql: Sql; reversed: boolean } | null {
  const offset = (query.page - 1) * query.perPage;
  if (offset >= total) return null;
  const reversed = offset + query.perPage / 2 > total / 2;
  const order = orderSql(query, reversed);
  const limit = reversed ? Math.min(query.perPage, total - offset) : query.perPage;
  const skip = reversed ? Math.max(0, total - offset - query.perPage) : offset;
  return { sql: sql`SELECT s."host" AS host FROM ${filter.from} WHERE ${filter.where} ORDER BY ${order} LIMIT ${limit} OFFSET ${skip}`, reversed };
}

async function pageHosts(query: SiteListQuery, filter: { from: Sql; where: Sql }, total: number): Promise<string[]> {
  const page = pageHostsSql(query, filter, total);
  if (!page) return [];
  const hosts = (await db.$queryRaw<{ host: string }[]>(page.sql)).map((r) => r.host);
  return page.reversed ? hosts.reverse() : hosts;
}

type Filter = ReturnType<typeof filterSql>;

async function countSites(filter: Filter): Promise<number> {
  const counted = await db.$queryRaw<{ n: bigint | number }[]>(sql`SELECT COUNT(*) AS n FROM ${filter.from} WHERE ${filter.where}`);
  return Number(counted[0]?.n ?? 0);
}

/**
 * The rows of the given hosts, in their order: one statement for the sites with their platform,
 * database and certificate, one for their webmasters. Raw SQL rather than nested includes:
 * mapping Prisma's nested results cost four times the queries' own time at 1,000 rows a page.
 */
async function rowsOf(hosts: string[], upgradable: Set<string>) {
  if (!hosts.length) return [];
  const rows = await db.$queryRaw<ListedRow[]>(sql`SELECT ${LISTED_SELECT} FROM "Site" s ${LISTED_JOINS} WHERE s."host" IN (${join(hosts)})`);
  const emails = new Map<string, string[]>();
  const webmasters = await db.$queryRaw<{ siteId: string; email: string }[]>(sql`
    SELECT w."siteId" AS "siteId", u."email" AS "email" FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId"
    WHERE w."siteId" IN (${join(rows.map((r) => r.id))}) ORDER BY w."createdAt", u."email"`);
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
