import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openRegistryReader } from '../db/sqlite-reader';
import { readJsonRowsInThread } from '../db/sqlite-thread-reader';
import { jsonElementsText } from '../domain/json-text';
import { upgradablePlatformIds, type SiteListQuery } from '../domain/site-list';
import { listedSiteJson } from './list-json';
import { filterSql, orderSql } from './list-sql';
import { LISTED_JOINS, LISTED_ROW_KEYS, LISTED_SELECT, LISTED_VALUES, toListItem, type ListedRow, type SiteListItem } from './list-row';
import sql, { type Sql } from 'sql-template-tag';

/** A site's webmasters' e-mails as one JSON array, in the order the dashboard gives them. */
const WEBMASTERS = sql`(SELECT json_group_array(u."email" ORDER BY w."createdAt", u."email")
    FROM "SiteWebmaster" w JOIN "User" u ON u."id" = w."userId" WHERE w."siteId" = s."id")`;

/**
 * The stream's select list: a site's values in LISTED_ROW_KEYS' order then its webmasters, as one
 * JSON array: one text crosses from the driver per row, read by JSON.parse, rather than 34 values
 * each made by the driver (25,000 rows stepped in 0.36 s of CPU as values, 0.21 to 0.24 s as one
 * text, then 0.07 s to parse). The columns hold no REAL (json_array would keep 15 digits of it).
 */
const ROW_AS_JSON_ARRAY = sql`json_array(${LISTED_VALUES}, ${WEBMASTERS})`;
/** The same as named columns: what the bench gives `sqlite3` as the yardstick (the same columns). */
export const ROW_AS_COLUMNS = sql`${LISTED_SELECT}, ${WEBMASTERS} AS "webmasters"`;

/**
 * The one statement giving every listed site of a SQLite registry in the list's order (at most
 * `limit`), with its webmasters: no count, no pages. Off the sort's index when the filters allow,
 * so its first rows come at once.
 */
export function streamSql(query: SiteListQuery, upgradable: Set<string>, limit: number, select = ROW_AS_JSON_ARRAY): Sql {
  // The filters read s and p only; the select list's joins bring p.
  const { where } = filterSql(query, upgradable);
  return sql`SELECT ${select} FROM "Site" s ${LISTED_JOINS}
    WHERE ${where} ORDER BY ${orderSql(query, false)} LIMIT ${Number.isFinite(limit) ? limit : -1}`;
}

const PLATFORMS = sql`SELECT "id", "profile", "version", "status" FROM "Platform"`;
const upgradableOf = (platforms: unknown[][]) =>
  upgradablePlatformIds(platforms.map(([id, profile, version, status]) => ({ id: String(id), profile: String(profile), version: String(version), status: String(status) })));

/**
 * From this many rows on, a list is read by a thread of its own (lib/db/sqlite-thread-reader.ts),
 * which steps SQLite while this one writes the rows out: 25,000 sites in 0.9 s rather than 1.3 s.
 * Below, on this thread: the thread takes about 60 ms to start.
 */
const ROWS_FOR_A_THREAD = 2000;
const ROWS_PER_BATCH = 500;

/** A batch of a SQLite registry's listed rows, with what showing them needs. */
interface ListedRows {
  /** each row's values in LISTED_ROW_KEYS' order, its webmasters' e-mails last */
  rows: unknown[][];
  upgradable: Set<string>;
  now: Date;
}

/**
 * The list's statement with the platforms it needs, read in one snapshot of the registry on a
 * connection of its own, a batch at a time: a short list read whole, a long one (ROWS_FOR_A_THREAD)
 * by a thread a few batches ahead, never the whole of it in memory.
 */
async function* listedRows(url: string, query: SiteListQuery, limit: number): AsyncGenerator<ListedRows> {
  const reader = openRegistryReader(url);
  try {
    reader.begin();
    const upgradable = upgradableOf([...reader.rows(PLATFORMS)]);
    const { from, where } = filterSql(query, upgradable);
    // Counted only as far as the question asks: are there that many?
    const enough = Math.min(limit, ROWS_FOR_A_THREAD);
    const [[count]] = [...reader.rows(sql`SELECT COUNT(*) FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${enough})`)] as [[number]];
    if (count < ROWS_FOR_A_THREAD) {
      // Read whole (a few MB at most), then handed on: no statement is left part-way when the caller stops early.
      const texts = [...reader.rows(streamSql(query, upgradable, limit))];
      reader.close();
      const now = new Date();
      for (let i = 0; i < texts.length; i += ROWS_PER_BATCH) {
        yield { rows: texts.slice(i, i + ROWS_PER_BATCH).map(([text]) => JSON.parse(text as string) as unknown[]), upgradable, now };
      }
      return;
    }
  } finally {
    reader.close();
  }
  let upgradable = new Set<string>();
  let now = new Date();
  const batches = readJsonRowsInThread(
    url,
    PLATFORMS,
    (platforms) => {
      upgradable = upgradableOf(platforms);
      now = new Date();
      return streamSql(query, upgradable, limit);
    },
    { rowsPerBatch: ROWS_PER_BATCH },
  );
  for await (const rows of batches) yield { rows, upgradable, now };
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
  let items: SiteListItem[] = [];
  for await (const listed of listedRows(url, query, limit)) {
    for (const values of listed.rows) {
      const row = {} as Record<keyof ListedRow, unknown>;
      for (let i = 0; i < WEBMASTERS_AT; i++) row[LISTED_ROW_KEYS[i]!] = values[i];
      items.push(toListItem(row as unknown as ListedRow, values[WEBMASTERS_AT] as string[], listed.upgradable, listed.now));
      if (items.length === batch) {
        yield items;
        items = [];
      }
    }
  }
  if (items.length) yield items;
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
  let texts: string[] = [];
  for await (const listed of listedRows(url, query, limit)) {
    for (const values of listed.rows) {
      texts.push(listedSiteJson(values, values[WEBMASTERS_AT] as string[], listed.upgradable, listed.now));
      if (texts.length === batch) {
        yield texts.join(',\n');
        texts = [];
      }
    }
  }
  if (texts.length) yield texts.join(',\n');
}
