import { Prisma } from '@prisma/client';
import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openRegistryReader } from '../db/sqlite-reader';
import { jsonElementsText } from '../domain/json-text';
import { upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { listedSiteJson } from './list-json';
import { filterSql, orderSql } from './list-sql';
import { LISTED_JOINS, LISTED_ROW_KEYS, LISTED_SELECT, LISTED_VALUES, toListItem, type ListedRow, type SiteListItem } from './list-row';

/** A site's webmasters' e-mails as one JSON array, in the order the dashboard gives them. */
const WEBMASTERS = Prisma.sql`(SELECT json_group_array(u."email" ORDER BY w."createdAt", u."email")
    FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId" WHERE w."siteId" = s."id")`;

/**
 * The stream's select list: a site's values in LISTED_ROW_KEYS' order then its webmasters, as one
 * JSON array: one text crosses from the driver per row, read by JSON.parse, rather than 34 values
 * each made by the driver (25,000 rows stepped in 0.36 s of CPU as values, 0.21 to 0.24 s as one
 * text, then 0.07 s to parse). The columns hold no REAL (json_array would keep 15 digits of it).
 */
const ROW_AS_JSON_ARRAY = Prisma.sql`json_array(${LISTED_VALUES}, ${WEBMASTERS})`;
/** The same as named columns: what the bench gives `sqlite3` as the yardstick (the same columns). */
export const ROW_AS_COLUMNS = Prisma.sql`${LISTED_SELECT}, ${WEBMASTERS} AS "webmasters"`;

/**
 * The one statement giving every listed site of a SQLite registry in the list's order (at most
 * `limit`), with its webmasters: no count, no pages. Off the sort's index when the filters allow,
 * so its first rows come at once.
 */
export function streamSql(query: SiteListQuery, upgradable: Set<string>, limit: number, select = ROW_AS_JSON_ARRAY): Prisma.Sql {
  // The filters read s and p only; the select list's joins bring p.
  const { where } = filterSql(query, upgradable);
  return Prisma.sql`SELECT ${select} FROM "Site" s ${LISTED_JOINS}
    WHERE ${where} ORDER BY ${orderSql(query, false)} LIMIT ${Number.isFinite(limit) ? limit : -1}`;
}

/** A SQLite registry's listed rows, stepped as they are read, with what showing them needs. */
interface ListedRows {
  /** each row's values in LISTED_ROW_KEYS' order, its webmasters' e-mails last */
  rows: Iterable<unknown[]>;
  upgradable: Set<string>;
  now: Date;
  close(): void;
}

/** One statement over its own read-only connection: one snapshot of the registry, never the whole list in memory. */
function readListedRows(url: string, query: SiteListQuery, limit: number): ListedRows {
  const reader = openRegistryReader(url);
  try {
    const platforms = [...reader.rows(Prisma.sql`SELECT "id", "profile", "version", "status" FROM "Platform"`)].map(([id, profile, version, status]) => ({
      id: String(id),
      profile: String(profile),
      version: String(version),
      status: String(status),
    }));
    const upgradable = upgradablePlatformIds(platforms);
    const statement = reader.rows(streamSql(query, upgradable, limit));
    function* rows() {
      for (const [row] of statement) yield JSON.parse(row as string) as unknown[];
    }
    return { rows: rows(), upgradable, now: new Date(), close: () => reader.close() };
  } catch (err) {
    reader.close();
    throw err;
  }
}

const WEBMASTERS_AT = LISTED_ROW_KEYS.length;

/**
 * Every site the filters give, in the list's order, `batch` at a time (at most `limit`): what the
 * command line's table shows as it reads. On a SQLite registry, one statement whose rows are
 * stepped as they come; on PostgreSQL, the list's own pages.
 */
export async function* streamListedSites(query: SiteListQuery, limit = Infinity, batch = 1000): AsyncGenerator<SiteListItem[]> {
  const url = config().registryUrl;
  if (registryProvider(url) !== 'sqlite') {
    // Loaded here: on SQLite the stream needs neither Prisma's client nor its driver adapter.
    const { eachListedSite } = await import('./list-query');
    yield* eachListedSite({ ...query, perPage: batch }, limit);
    return;
  }
  const listed = readListedRows(url, query, limit);
  try {
    let items: SiteListItem[] = [];
    for (const values of listed.rows) {
      const row = {} as Record<keyof ListedRow, unknown>;
      for (let i = 0; i < WEBMASTERS_AT; i++) row[LISTED_ROW_KEYS[i]!] = values[i];
      items.push(toListItem(row as unknown as ListedRow, values[WEBMASTERS_AT] as string[], listed.upgradable, listed.now));
      if (items.length === batch) {
        yield items;
        items = [];
      }
    }
    if (items.length) yield items;
  } finally {
    listed.close();
  }
}

/**
 * The same sites as printed JSON, `batch` at a time: each batch the text jsonElementsText gives
 * of streamListedSites' items (what printJsonArrayText prints). On a SQLite registry, each row is
 * written straight as its text (lib/sites/list-json.ts), no item built; on PostgreSQL, the items
 * of the list's pages are stringified.
 */
export async function* streamListedSitesJson(query: SiteListQuery, limit = Infinity, batch = 1000): AsyncGenerator<string> {
  const url = config().registryUrl;
  if (registryProvider(url) !== 'sqlite') {
    for await (const items of streamListedSites(query, limit, batch)) yield jsonElementsText(items);
    return;
  }
  const listed = readListedRows(url, query, limit);
  try {
    let texts: string[] = [];
    for (const values of listed.rows) {
      texts.push(listedSiteJson(values, values[WEBMASTERS_AT] as string[], listed.upgradable, listed.now));
      if (texts.length === batch) {
        yield texts.join(',\n');
        texts = [];
      }
    }
    if (texts.length) yield texts.join(',\n');
  } finally {
    listed.close();
  }
}
