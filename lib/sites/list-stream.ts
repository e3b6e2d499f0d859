import { Prisma } from '@prisma/client';
import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openRegistryReader } from '../db/sqlite-reader';
import { upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { filterSql, orderSql } from './list-sql';
import { LISTED_JOINS, LISTED_ROW_KEYS, LISTED_SELECT, toListItem, type ListedRow, type SiteListItem } from './list-row';

/** A site's webmasters' e-mails as one JSON array, in the order the dashboard gives them. */
const WEBMASTERS = Prisma.sql`(SELECT json_group_array(u."email" ORDER BY w."createdAt", u."email")
    FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId" WHERE w."siteId" = s."id")`;

/**
 * The one statement giving every listed site of a SQLite registry in the list's order (at most
 * `limit`), with its webmasters: no count, no pages. Off the sort's index when the filters allow,
 * so its first rows come at once.
 */
export function streamSql(query: SiteListQuery, upgradable: Set<string>, limit: number): Prisma.Sql {
  // The filters read s and p only; the select list's joins bring p.
  const { where } = filterSql(query, upgradable);
  return Prisma.sql`SELECT ${LISTED_SELECT}, ${WEBMASTERS} AS "webmasters" FROM "Site" s ${LISTED_JOINS}
    WHERE ${where} ORDER BY ${orderSql(query, false)} LIMIT ${Number.isFinite(limit) ? limit : -1}`;
}

/**
 * Every site the filters give, in the list's order, `batch` at a time (at most `limit`): what the
 * command line prints as it reads. On a SQLite registry, one statement whose rows are stepped as
 * they are printed (one snapshot of the registry, never the whole list in memory); on PostgreSQL,
 * the list's own pages.
 */
export async function* streamListedSites(query: SiteListQuery, limit = Infinity, batch = 1000): AsyncGenerator<SiteListItem[]> {
  const url = config().registryUrl;
  if (registryProvider(url) !== 'sqlite') {
    // Loaded here: on SQLite the stream needs neither Prisma's client nor its driver adapter.
    const { eachListedSite } = await import('./list-query');
    yield* eachListedSite({ ...query, perPage: batch }, limit);
    return;
  }
  const reader = openRegistryReader(url);
  try {
    const platforms = [...reader.rows(Prisma.sql`SELECT "id", "profile", "version", "status" FROM "Platform"`)].map(([id, profile, version, status]) => ({
      id: String(id),
      profile: String(profile),
      version: String(version),
      status: String(status),
    }));
    const upgradable = upgradablePlatformIds(platforms);
    const now = new Date();
    const webmastersAt = LISTED_ROW_KEYS.length;
    let items: SiteListItem[] = [];
    for (const values of reader.rows(streamSql(query, upgradable, limit))) {
      const row = {} as Record<keyof ListedRow, unknown>;
      for (let i = 0; i < webmastersAt; i++) row[LISTED_ROW_KEYS[i]!] = values[i];
      items.push(toListItem(row as unknown as ListedRow, JSON.parse(values[webmastersAt] as string) as string[], upgradable, now));
      if (items.length === batch) {
        yield items;
        items = [];
      }
    }
    if (items.length) yield items;
  } finally {
    reader.close();
  }
}
