import { defaultDirection, siteListSchema, type SiteListQuery } from '@/lib/domain/site-list';

/*
 * The sites list keeps its whole state in the URL, so a view can be bookmarked and shared.
 * These pure helpers read that state and write links to other views of it; the server page
 * and the client controls use the same rules.
 */

export const LIST_PATH = '/sites';
const DEFAULTS = siteListSchema.parse({});

/** The filters (what narrows the list), as opposed to sorting and paging. */
export const FILTER_KEYS = ['q', 'status', 'platform', 'engine', 'server', 'webmaster', 'tls', 'upgradable', 'down'] as const;

export interface ParsedList {
  query: SiteListQuery;
  /** what was not understood, per parameter; those parameters fell back to their defaults */
  problems: { param: string; message: string }[];
}

/**
 * Parses the URL's parameters. A bad value costs only its own parameter: it is reported and
 * left out, and the rest of the view still applies.
 */
export function parseListParams(raw: Record<string, string>): ParsedList {
  const first = siteListSchema.safeParse(raw);
  if (first.success) return { query: first.data, problems: [] };
  const problems = first.error.issues.map((i) => ({ param: String(i.path[0] ?? '?'), message: i.message }));
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !problems.some((p) => p.param === k)));
  const second = siteListSchema.safeParse(kept);
  return { query: second.success ? second.data : DEFAULTS, problems };
}

export const hasFilters = (q: SiteListQuery) => FILTER_KEYS.some((k) => !!q[k]);

/** The query as URL parameters, defaults left out so shared links stay short. */
export function listSearch(q: SiteListQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ['q', 'status', 'platform', 'engine', 'server', 'webmaster', 'tls'] as const) if (q[k]) p.set(k, q[k]);
  if (q.upgradable) p.set('upgradable', '1');
  if (q.down) p.set('down', '1');
  if (q.sort !== DEFAULTS.sort) p.set('sort', q.sort);
  if (q.dir && q.dir !== defaultDirection(q.sort)) p.set('dir', q.dir);
  if (q.perPage !== DEFAULTS.perPage) p.set('perPage', String(q.perPage));
  if (q.page !== 1) p.set('page', String(q.page));
  return p;
}

/** A link to the list with some of its state changed; changing anything but the page goes back to page 1. */
export function listHref(q: SiteListQuery, patch: Partial<SiteListQuery>): string {
  const next: SiteListQuery = { ...q, page: 1, ...patch };
  const s = listSearch(next).toString();
  return s ? `${LIST_PATH}?${s}` : LIST_PATH;
}

/** The list with its filters cleared, keeping how it is sorted and paged. */
export function clearedHref(q: SiteListQuery): string {
  return listHref({ ...DEFAULTS, sort: q.sort, dir: q.dir, perPage: q.perPage }, {});
}

/** The current direction of the list, explicit or by default. */
export const directionOf = (q: SiteListQuery) => q.dir ?? defaultDirection(q.sort);

/** Clicking a column header: the same column flips its direction, another starts in its natural one. */
export function sortHref(q: SiteListQuery, sort: SiteListQuery['sort']): string {
  if (q.sort === sort) return listHref(q, { dir: directionOf(q) === 'asc' ? 'desc' : 'asc' });
  return listHref(q, { sort, dir: undefined });
}

/** The new-run form with every site of these filters (all pages) as its targets. */
export function upgradeFilterHref(q: SiteListQuery): string {
  const p = listSearch(q);
  for (const k of ['sort', 'dir', 'perPage', 'page']) p.delete(k);
  return `/runs?${p.toString()}`;
}
