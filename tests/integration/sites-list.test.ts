import type { Client, Config, Transaction } from '@libsql/client';
import { PrismaClient } from '@prisma/client';
import { beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testRegistry, useTestFarm } from '../helpers/registry';
import { seedSites, type SeededFarm } from '../fixtures/seed-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { MutuLibSQL } from '@/lib/db/sqlite-client';
import { matchesPattern, isPattern } from '@/lib/domain/pattern';
import { defaultDirection, siteListSchema, SITE_SORTS, upgradablePlatformIds, type SiteListQuery } from '@/lib/domain/site-list';
import { refreshPlannerStatistics } from '@/lib/db/statistics';
import { listSites, pageHostsSql, type SiteListItem } from '@/lib/sites/list-query';
import { filterSql } from '@/lib/sites/list-sql';
import { streamListedSites, streamListedSitesJson, streamSql } from '@/lib/sites/list-stream';
import { jsonElementsText } from '@/lib/domain/json-text';
import sql from 'sql-template-tag';

useTestFarm();

/*
 * Every SQL statement the registry runs, counted where it reaches libSQL: the same adapter
 * as lib/db/client.ts, with each client (and transaction) wrapped. Prisma's `$on('query')`
 * does not fire with driver adapters, and spying on `db.site.findMany` would miss the
 * statements one Prisma call turns into (an `include` is one statement per relation).
 */
const statements: string[] = [];
function counted<C extends Client | Transaction>(inner: C): C {
  return new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'execute') return (stmt: string | { sql: string }, ...rest: unknown[]) => (statements.push(typeof stmt === 'string' ? stmt : stmt.sql), value.apply(target, [stmt, ...rest]));
      if (prop === 'batch' || prop === 'executeMultiple') return (...args: unknown[]) => (statements.push(`${String(prop)}`), value.apply(target, args));
      if (prop === 'transaction') return async (...args: unknown[]) => counted(await value.apply(target, args));
      return value.bind(target);
    },
  });
}
class CountingLibSQL extends MutuLibSQL {
  override createClient(cfg: Config): Client {
    return counted(super.createClient(cfg));
  }
}
if (testRegistry() === 'postgres') {
  // The pg driver under Prisma's adapter: every statement goes through Client#query.
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const stmt = args[0] as string | { text: string };
    statements.push(typeof stmt === 'string' ? stmt : stmt.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
} else {
  // lib/db/client.ts uses the client already on globalThis: it must be there before anything opens the registry.
  (globalThis as unknown as { mutuPrisma?: PrismaClient }).mutuPrisma = new PrismaClient({ adapter: new CountingLibSQL({ url: config().registryUrl }) });
}

async function statementsOf<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const from = statements.length;
  const result = await fn();
  return { result, sql: statements.slice(from) };
}

const COUNT = 2017; // not a multiple of any page size: the last page holds a remainder
let farm: SeededFarm;

/** Everything the list filters and sorts on, read once, for the oracle. */
interface Row {
  host: string;
  status: string;
  platformId: string;
  platform: string;
  engine: string | null;
  server: string | null;
  webmasters: string[];
  healthStatus: string;
  createdAt: Date;
  upgradedAt: Date | null;
  diskBytes: bigint | null;
}
let rows: Row[];
let upgradable: Set<string>;

beforeAll(async () => {
  const started = performance.now();
  farm = await seedSites({ count: COUNT });
  const seeded = performance.now() - started;
  console.info(`seeded ${COUNT} sites in ${Math.round(seeded)} ms`);
  expect(seeded, 'seeding 2,017 sites').toBeLessThan(20_000);
  const all = await db.site.findMany({ include: { platform: true, database: { include: { server: true } }, webmasters: { include: { user: true } } } });
  rows = all.map((s) => ({
    host: s.host,
    status: s.status,
    platformId: s.platformId,
    platform: s.platform.name,
    engine: s.database?.server.engine ?? null,
    server: s.database?.server.name ?? null,
    webmasters: s.webmasters.map((w) => w.user.email),
    healthStatus: s.healthStatus,
    createdAt: s.createdAt,
    upgradedAt: s.upgradedAt,
    diskBytes: s.diskBytes,
  }));
  upgradable = upgradablePlatformIds(await db.platform.findMany());
});

const q = (input: Record<string, unknown>): SiteListQuery => siteListSchema.parse(input);

function oracleFilter(query: SiteListQuery): Row[] {
  return rows.filter((r) => {
    if (query.q && !(isPattern(query.q) ? matchesPattern(r.host, query.q) : r.host.includes(query.q))) return false;
    if (query.status && r.status !== query.status) return false;
    if (query.platform && r.platform !== query.platform) return false;
    if (query.engine && r.engine !== query.engine) return false;
    if (query.server && r.server !== query.server) return false;
    if (query.webmaster && !r.webmasters.some((e) => e.includes(query.webmaster!))) return false;
    if (query.upgradable && !upgradable.has(r.platformId)) return false;
    if (query.down && !['down', 'error', 'needs-install'].includes(r.healthStatus)) return false;
    return true;
  });
}

const SORT_KEY: Record<SiteListQuery['sort'], (r: Row) => string | number | bigint | null> = {
  host: (r) => r.host,
  created: (r) => r.createdAt.getTime(),
  upgraded: (r) => r.upgradedAt?.getTime() ?? null,
  disk: (r) => r.diskBytes,
};

/** The whole ordered result: sort key in the asked direction, NULLs last either way, then host ascending. */
function oracle(query: SiteListQuery): string[] {
  const key = SORT_KEY[query.sort];
  const sign = (query.dir ?? defaultDirection(query.sort)) === 'asc' ? 1 : -1;
  const cmp = (a: Row, b: Row) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * sign;
    }
    return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
  };
  return oracleFilter(query).sort(cmp).map((r) => r.host);
}

/** Reads every page of a query and checks each page's size, total and page count on the way. */
async function allPages(query: SiteListQuery): Promise<string[]> {
  const hosts: string[] = [];
  const expectedTotal = oracleFilter(query).length;
  for (let page = 1; ; page++) {
    const r = await listSites({ ...query, page });
    expect(r.total).toBe(expectedTotal);
    expect(r.pages).toBe(Math.max(1, Math.ceil(expectedTotal / query.perPage)));
    expect(r.sites.length).toBe(Math.max(0, Math.min(query.perPage, expectedTotal - (page - 1) * query.perPage)));
    hosts.push(...r.sites.map((s) => s.host));
    if (page >= r.pages) return hosts;
  }
}

describe('sites list on 2,017 seeded sites', () => {
  it('the seed is varied on every axis the list filters on', () => {
    expect(rows).toHaveLength(COUNT);
    const distinct = (f: (r: Row) => unknown) => new Set(rows.map(f)).size;
    expect(distinct((r) => r.status)).toBe(7);
    expect(distinct((r) => r.platform)).toBe(3);
    expect(distinct((r) => r.engine)).toBe(4); // three engines and no database
    expect(distinct((r) => r.healthStatus)).toBe(5);
    expect(rows.filter((r) => r.upgradedAt === null).length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.diskBytes === null).length).toBeGreaterThan(100);
    // ties on every sort key, so the host tiebreak is what orders them
    expect(distinct((r) => r.createdAt.getTime())).toBeLessThan(COUNT / 2);
    expect(distinct((r) => r.diskBytes)).toBeLessThan(COUNT / 2);
  });

  it.each([
    ['a substring', 'club'],
    ['a substring with digits and a hyphen', 'ecole-1'],
    ['a pattern with *', '*.club.example.org'],
    ['a pattern with ? and *', 'site1?.asso.*'],
    ['a pattern matching a whole host', 'site3.asso.example.net'],
    ['a pattern anchored at the start only', 'deep1*'],
    ['a substring matching nothing', 'nowhere'],
  ])('searches by %s (%s)', async (_what, text) => {
    const query = q({ q: text, perPage: 200 });
    const expected = oracle(query);
    expect(await allPages(query)).toEqual(expected);
    if (text === '*.club.example.org') {
      // the near misses of the seed stay out; deeper subdomains are in
      expect(expected.some((h) => h.startsWith('deep'))).toBe(true);
      expect(expected.filter((h) => h.endsWith('.eu') || /^club\d+\.example\.org$/.test(h))).toEqual([]);
    }
    if (text === 'site1?.asso.*') expect(expected).toHaveLength(20); // site10..site19 in .org and .net
    if (text === 'nowhere') expect(expected).toEqual([]);
  });

  it('upgradable means a lower SPIP release while a higher active SPIP exists, never generic', () => {
    expect([...upgradable]).toEqual([farm.spipOld.id]);
  });

  it.each([
    ['status', { status: 'disabled' }],
    ['status', { status: 'provisioning' }],
    ['platform', { platform: 'spip-4.10' }],
    ['platform', { platform: 'generic-php' }],
    ['engine', { engine: 'sqlite' }],
    ['engine', { engine: 'mysql' }],
    ['engine', { engine: 'postgresql' }],
    ['server', { server: 'maria-b' }],
    ['webmaster (substring)', { webmaster: 'owner' }],
    ['webmaster (substring, upper case typed)', { webmaster: 'WM1' }],
    ['upgradable', { upgradable: '1' }],
    ['down', { down: 'true' }],
    ['status + platform + down', { status: 'active', platform: 'spip-4.3.2', down: '1' }],
    ['pattern + engine + upgradable, sorted by disk', { q: '*.club.*', engine: 'mysql', upgradable: 'on', sort: 'disk' }],
    ['webmaster + server, sorted by last upgrade ascending', { webmaster: 'asso.example.net', server: 'pg-a', sort: 'upgraded', dir: 'asc' }],
  ])('filters by %s: %j', async (_what, input) => {
    const query = q({ ...input, perPage: 200 });
    const expected = oracle(query);
    expect(expected.length, 'the filter selects something').toBeGreaterThan(0);
    expect(expected.length, 'the filter leaves something out').toBeLessThan(COUNT);
    expect(await allPages(query)).toEqual(expected);
  });

  it('filters by a server name or platform that does not exist: nothing, without error', async () => {
    expect((await listSites(q({ server: 'nope' }))).total).toBe(0);
    expect((await listSites(q({ platform: 'nope' }))).total).toBe(0);
  });

  it.each(SITE_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((dir) => [sort, dir] as const)))('sorts by %s %s, NULLs last, host as tiebreak', async (sort, dir) => {
    const query = q({ sort, dir, perPage: 200 });
    const expected = oracle(query);
    const got = await allPages(query);
    expect(got).toEqual(expected);
    if (sort === 'upgraded' || sort === 'disk') {
      const nulls = rows.filter((r) => SORT_KEY[sort](r) === null).map((r) => r.host).sort();
      expect(got.slice(-nulls.length)).toEqual(nulls);
    }
  });

  it('uses the natural direction when none is given: host A to Z, the rest newest or biggest first', async () => {
    expect((await listSites(q({ perPage: 10 }))).sites.map((s) => s.host)).toEqual(oracle(q({ dir: 'asc' })).slice(0, 10));
    for (const sort of ['created', 'upgraded', 'disk'] as const) {
      expect((await listSites(q({ sort, perPage: 10 }))).sites.map((s) => s.host)).toEqual(oracle(q({ sort, dir: 'desc' })).slice(0, 10));
    }
  });

  it('pages of 10, 50 and 200: the last page holds the remainder, a page past the end is empty with the total', async () => {
    const expected = oracle(q({ sort: 'created' }));
    for (const perPage of [10, 50, 200]) {
      const pages = Math.ceil(COUNT / perPage);
      const first = await listSites(q({ sort: 'created', perPage }));
      expect(first).toMatchObject({ total: COUNT, page: 1, perPage, pages });
      expect(first.sites.map((s) => s.host)).toEqual(expected.slice(0, perPage));

      const last = await listSites(q({ sort: 'created', perPage, page: pages }));
      expect(last.sites).toHaveLength(COUNT % perPage || perPage);
      expect(last.sites.map((s) => s.host)).toEqual(expected.slice((pages - 1) * perPage));

      for (const page of [pages + 1, 1_000_000]) {
        const past = await listSites(q({ sort: 'created', perPage, page }));
        expect(past).toMatchObject({ sites: [], total: COUNT, pages });
      }
    }
    const filteredPast = await listSites(q({ status: 'moved', page: 999 }));
    expect(filteredPast.sites).toEqual([]);
    expect(filteredPast.total).toBe(oracleFilter(q({ status: 'moved' })).length);
  });

  it('returns each row complete: platform, database without password, webmasters, sizes, health, upgrade mark', async () => {
    const { sites } = await listSites(q({ perPage: 200 }));
    const full = await db.site.findMany({ where: { host: { in: sites.map((s) => s.host) } }, include: { platform: true, database: { include: { server: true } }, webmasters: { include: { user: true } } } });
    const byHost = new Map(full.map((s) => [s.host, s]));
    for (const s of sites) {
      const r = byHost.get(s.host)!;
      expect(s).toMatchObject({ id: r.id, status: r.status, upgradable: upgradable.has(r.platformId), platform: { name: r.platform.name, version: r.platform.version } });
      expect(s.adminPath).toBe(r.platform.profile === 'spip' ? '/ecrire/' : '/');
      expect(s.webmasters.sort()).toEqual(r.webmasters.map((w) => w.user.email).sort());
      expect(s.disk).toEqual({
        total: r.diskBytes === null ? null : Number(r.diskBytes),
        img: r.diskImgBytes === null ? null : Number(r.diskImgBytes),
        local: r.diskLocalBytes === null ? null : Number(r.diskLocalBytes),
        tmp: r.diskTmpBytes === null ? null : Number(r.diskTmpBytes),
        db: r.dbBytes === null ? null : Number(r.dbBytes),
        measuredAt: r.sizesMeasuredAt,
      });
      expect({ createdAt: s.createdAt, upgradedAt: s.upgradedAt, lastExportAt: s.lastExportAt }).toEqual({ createdAt: r.createdAt, upgradedAt: r.upgradedAt, lastExportAt: r.lastExportAt });
      expect(s.health).toEqual({ status: r.healthStatus, code: r.healthCode, detail: r.healthDetail, latencyMs: r.healthLatencyMs, checkedAt: r.healthCheckedAt });
      if (r.database) {
        expect(s.database).toMatchObject({ name: r.database.name, user: r.database.user, tablePrefix: r.database.tablePrefix, shared: r.database.shared, server: { name: r.database.server.name, engine: r.database.server.engine } });
        expect(JSON.stringify(s.database)).not.toContain(farm.passwordOf.get(s.host)!);
        expect(s.database).not.toHaveProperty('passwordEnc');
      } else {
        expect(s.database).toBeNull();
      }
    }
  });

  it('runs the same few statements whatever the page size, page or filters: no query per row', async () => {
    const shapes: [string, SiteListQuery][] = [
      ['10 per page', q({ perPage: 10 })],
      ['200 per page', q({ perPage: 200 })],
      ['last page of 50, by disk', q({ perPage: 50, page: Math.ceil(COUNT / 50), sort: 'disk' })],
      ['every filter at once', q({ q: '*.example.*', status: 'active', engine: 'mysql', webmaster: 'wm', upgradable: '1', tls: 'none', perPage: 200 })],
    ];
    const counts: Record<string, number> = {};
    for (const [name, query] of shapes) {
      const { result, sql } = await statementsOf(() => listSites(query));
      expect(result.sites.length, name).toBeGreaterThan(0);
      counts[name] = sql.length;
    }
    const perCall = counts['10 per page']!;
    expect(counts, 'statements per call').toEqual(Object.fromEntries(shapes.map(([name]) => [name, perCall])));
    // platforms, the count, the page's hosts, then the rows with their relations (certificates too) in a handful of batches
    expect(perCall).toBeGreaterThan(1);
    expect(perCall).toBeLessThanOrEqual(10);

    // Past the end: the count alone, no rows to read.
    const past = await statementsOf(() => listSites(q({ perPage: 200, page: 999 })));
    expect(past.result.total).toBe(COUNT);
    expect(past.sql.length).toBeLessThanOrEqual(perCall + 1);
  });

  // SQLite's plans; PostgreSQL's planner always has its statistics (autovacuum analyzes).
  it.skipIf(testRegistry() === 'postgres')("reads every page of the default sorts off the sort's index, first and last, with or without a status filter", async () => {
    // What keeps a page cheap at 100,000 sites (bench/sites.ts): no sort of the whole match, no
    // table lookup per skipped row; first as a registry that grew since its statistics were taken
    // (the migrations' ANALYZE saw it empty), then with fresh ones, as maintenance keeps them.
    for (const fresh of [false, true]) {
      if (fresh) await refreshPlannerStatistics();
      for (const sort of SITE_SORTS) {
        for (const status of [undefined, 'active', 'failed'] as const) {
          const query = q({ sort, status, perPage: 50 });
          const filter = filterSql(query, new Set());
          const total = Number((await db.$queryRaw<{ n: bigint }[]>(sql`SELECT COUNT(*) AS n FROM ${filter.from} WHERE ${filter.where}`))[0]!.n);
          for (const page of [1, Math.ceil(total / 50)]) {
            const { sql: statement, reversed } = pageHostsSql({ ...query, page }, filter, total)!;
            expect(reversed).toBe(page > 1);
            const plan = (await db.$queryRaw<{ detail: string }[]>(sql`EXPLAIN QUERY PLAN ${statement}`)).map((r) => r.detail).join('; ');
            expect(plan, `${sort} ${status ?? 'all'} page ${page}`).toMatch(/COVERING INDEX/);
            expect(plan, `${sort} ${status ?? 'all'} page ${page}, fresh statistics: ${fresh}`).not.toMatch(/TEMP B-TREE/);
          }
        }
      }
    }
  });

  /** Every row the command line's stream gives, checking each batch's size on the way. */
  async function streamed(query: SiteListQuery, limit?: number): Promise<SiteListItem[]> {
    const out: SiteListItem[] = [];
    for await (const batch of streamListedSites(query, limit, 97)) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(97);
      out.push(...batch);
    }
    return out;
  }

  it.each([
    {},
    { q: '*.club.*' },
    { q: 'ecole-1', status: 'active' },
    { status: 'disabled', sort: 'disk' },
    { platform: 'spip-4.3.2', sort: 'created', dir: 'asc' },
    { engine: 'mysql', upgradable: '1', sort: 'upgraded' },
    { webmaster: 'owner', down: '1' },
    { tls: 'none', sort: 'disk', dir: 'asc' },
    { q: 'nowhere' },
  ])("the command line's stream gives the list's rows, whole and in its order: %j", async (input) => {
    const query = q({ ...input, perPage: 200 });
    const paged: SiteListItem[] = [];
    for (let page = 1; ; page++) {
      const r = await listSites({ ...query, page });
      paged.push(...r.sites);
      if (page >= r.pages) break;
    }
    const rows = await streamed(query);
    expect(rows.map((s) => s.host)).toEqual(oracle(query));
    // The same text once printed: every field, dates and sizes alike.
    expect(JSON.parse(JSON.stringify(rows))).toEqual(JSON.parse(JSON.stringify(paged)));
  });

  it("the command line's JSON is the printed text of the list's items, certificates and webmasters too", async () => {
    const query = q({ q: '*.club.example.org', perPage: 200 });
    const hosts = oracle(query).slice(0, 4);
    const day = 86_400_000;
    const ends = [200, 5, -1, 60].map((days) => new Date(Date.now() + days * day));
    const sites = await db.site.findMany({ where: { host: { in: hosts } }, select: { id: true, host: true } });
    await db.certificate.createMany({
      data: sites.map((s, i) => ({
        siteId: s.id,
        names: [s.host],
        issuer: 'Test "CA"',
        serial: `0${i}`,
        fingerprint: `AB:${i}`,
        notBefore: new Date(Date.now() - 30 * day),
        notAfter: ends[i]!,
        source: 'acme' as const,
        lastError: i === 3 ? 'rate limited\nretry later' : null,
      })),
    });
    try {
      const paged: SiteListItem[] = [];
      for (let page = 1; ; page++) {
        const r = await listSites({ ...query, page });
        paged.push(...r.sites);
        if (page >= r.pages) break;
      }
      expect(paged.filter((s) => s.tls).map((s) => s.tls!.state).sort()).toEqual(['expired', 'expiring', 'failed', 'ok']);
      expect(paged.some((s) => s.webmasters.length > 1)).toBe(true);
      const texts: string[] = [];
      for await (const text of streamListedSitesJson(query, Infinity, 97)) texts.push(text);
      expect(texts.length).toBe(Math.ceil(paged.length / 97));
      expect(texts.join(',\n')).toBe(jsonElementsText(paged));
    } finally {
      await db.certificate.deleteMany({ where: { siteId: { in: sites.map((s) => s.id) } } });
    }
  });

  it("the command line's stream, left part-way, leaves no read behind (read inline, and by its thread)", async () => {
    for (const input of [{ q: '*.club.*' }, {}]) {
      for await (const batch of streamListedSites(q(input), Infinity, 10)) {
        expect(batch).toHaveLength(10);
        break;
      }
    }
    // A write: it would wait on a read still held (this registry has no write-ahead log), then fail.
    await refreshPlannerStatistics();
  });

  it("the command line's stream stops at its limit", async () => {
    const query = q({ sort: 'created' });
    expect((await streamed(query, 250)).map((s) => s.host)).toEqual(oracle(query).slice(0, 250));
    expect((await streamed(query, 1)).map((s) => s.host)).toEqual(oracle(query).slice(0, 1));
  });

  it.skipIf(testRegistry() === 'postgres')("the command line's stream is read off the sort's index: no sort of the whole match", async () => {
    await refreshPlannerStatistics();
    for (const sort of SITE_SORTS) {
      for (const input of [{}, { status: 'active' }, { q: '*.club.example.org' }]) {
        const plan = (await db.$queryRaw<{ detail: string }[]>(sql`EXPLAIN QUERY PLAN ${streamSql(q({ ...input, sort }), new Set(), -1)}`)).map((r) => r.detail);
        expect(plan.join('; '), `${sort} ${JSON.stringify(input)}`).not.toMatch(/TEMP B-TREE FOR (?:RIGHT PART OF )?ORDER BY/);
      }
    }
  });

  it('answers a filtered, sorted page of 50 quickly, first and last page', async () => {
    // Not a benchmark (bench/ is): a guard against an accidental full scan per row.
    for (const page of [1, 40, 41]) {
      const started = performance.now();
      await listSites(q({ q: 'example', sort: 'disk', page, perPage: 50 }));
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe("a site's database server, kept on the site by the registry for the engine and server filters", () => {
  it('follows every write of its database row: created with the site or after it, moved, removed, and the site destroyed', async () => {
    const host = 'kept-server.list.test';
    const kept = async () => (await db.site.findUnique({ where: { host }, select: { dbServerId: true } }))?.dbServerId;
    const listed = async (filter: Record<string, unknown>) => (await listSites(q({ q: host, ...filter }))).sites.map((s) => s.host);
    const database = (serverId: string) => ({ serverId, name: 'kept', user: 'kept', passwordEnc: 'x', slot: 'db:kept-server' });
    const { mariaA, mariaB, pg: pgServer } = farm.servers;

    const site = await db.site.create({ data: { host, status: 'active', platformId: farm.generic.id, database: { create: database(mariaA.id) } } });
    expect(await kept()).toBe(mariaA.id);
    expect(await listed({ engine: 'mysql', status: 'active' })).toEqual([host]);
    expect(await listed({ server: mariaA.name })).toEqual([host]);
    expect(await listed({ engine: 'postgresql' })).toEqual([]);

    await db.siteDatabase.update({ where: { siteId: site.id }, data: { serverId: mariaB.id } });
    expect(await kept()).toBe(mariaB.id);
    expect(await listed({ server: mariaA.name })).toEqual([]);
    expect(await listed({ server: mariaB.name })).toEqual([host]);

    await db.siteDatabase.delete({ where: { siteId: site.id } });
    expect(await kept()).toBeNull();
    expect(await listed({ engine: 'mysql' })).toEqual([]);

    await db.siteDatabase.create({ data: { siteId: site.id, ...database(pgServer.id) } });
    expect(await kept()).toBe(pgServer.id);
    expect(await listed({ engine: 'postgresql', status: 'active' })).toEqual([host]);
    // A status change leaves it: the index holds both.
    await db.site.update({ where: { id: site.id }, data: { status: 'disabled' } });
    expect(await listed({ engine: 'postgresql', status: 'active' })).toEqual([]);
    expect(await listed({ engine: 'postgresql', status: 'disabled' })).toEqual([host]);

    // Destroyed: the database row goes with the site (cascade), without error.
    await db.site.delete({ where: { id: site.id } });
    expect(await kept()).toBeUndefined();
    expect(await db.siteDatabase.count({ where: { siteId: site.id } })).toBe(0);
  });

  it('is what the seed wrote for every site (createMany, as a copy of the registry writes)', async () => {
    const sites = await db.site.findMany({ select: { dbServerId: true, database: { select: { serverId: true } } } });
    expect(sites.filter((s) => s.dbServerId !== (s.database?.serverId ?? null))).toEqual([]);
  });

  it.skipIf(testRegistry() === 'postgres')('gives the count of an engine filter off the index alone', async () => {
    const { from, where } = filterSql(q({ status: 'active', engine: 'mysql' }), upgradable);
    const plan = await db.$queryRaw<{ detail: string }[]>(sql`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ${from} WHERE ${where}`);
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING COVERING INDEX Site_dbServerId_status_host_idx/);
  });
});
