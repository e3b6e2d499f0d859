import type { SiteStatus } from '@prisma/client';
import * as z from 'zod';
import { DB_ENGINES } from './db-engines';
import { allOf } from './enums';
import { searchTermToAscii } from './idn';

export const SITE_STATUSES = allOf<SiteStatus>()(['provisioning', 'active', 'disabled', 'upgrading', 'failed', 'moved', 'trashed']);
export const SITE_SORTS = ['host', 'created', 'upgraded', 'disk'] as const;
/** The certificate filters: expiring within EXPIRY_WARNING_DAYS (or expired), a failed renewal, none at all. */
export const TLS_FILTERS = ['expiring', 'failed', 'none'] as const;

const flag = z
  .union([z.boolean(), z.enum(['1', 'true', 'on', 'yes', '0', 'false', 'off', 'no', ''])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'on' || v === 'yes')
  .default(false);

/** The sites list's state: what the URL holds, so a view can be shared. */
export const siteListSchema = z.object({
  /** a substring of the host, or a pattern with * and ?; labels written in Unicode are searched as their punycode */
  q: z
    .string()
    .trim()
    .max(253)
    .transform(searchTermToAscii)
    .pipe(z.string().toLowerCase().max(253).regex(/^[a-z0-9.*?-]*$/, 'letters, digits, ".", "-", and * or ? as wildcards'))
    .optional(),
  status: z.enum(SITE_STATUSES).optional(),
  platform: z.string().trim().max(64).optional(),
  engine: z.enum(DB_ENGINES).optional(),
  server: z.string().trim().max(64).optional(),
  webmaster: z.string().trim().toLowerCase().max(320).optional(),
  upgradable: flag,
  down: flag,
  tls: z.enum(TLS_FILTERS).optional(),
  sort: z.enum(SITE_SORTS).default('host'),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  perPage: z.coerce.number().int().min(10).max(200).default(50),
});
export type SiteListQuery = z.infer<typeof siteListSchema>;

/** Ascending by name, newest or biggest first otherwise: what people look for. */
export function defaultDirection(sort: SiteListQuery['sort']): 'asc' | 'desc' {
  return sort === 'host' ? 'asc' : 'desc';
}

const versionNumber = (part: string) => (/^\d+$/.test(part) ? Number(part) : null);

/**
 * Compares dotted versions numerically ("4.10" > "4.9"); non-numeric parts compare as text
 * and rank below numbers, so a pre-release comes before its release ("4.4.0-beta" < "4.4.0").
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = versionNumber(x);
    const ny = versionNumber(y);
    const d = nx !== null && ny !== null ? nx - ny : nx !== null ? 1 : ny !== null ? -1 : x.localeCompare(y);
    if (d) return Math.sign(d);
  }
  return 0;
}

/**
 * Platforms whose sites have an upgrade available: another active platform of the same
 * profile has a higher version. Never generic ones: two generic platforms may hold two
 * unrelated applications, so a higher version of one is no upgrade of the other.
 */
export function upgradablePlatformIds(platforms: { id: string; profile: string; version: string; status: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const p of platforms) {
    if (p.profile === 'generic') continue;
    if (platforms.some((o) => o.id !== p.id && o.status === 'active' && o.profile === p.profile && o.version && compareVersions(o.version, p.version) > 0)) ids.add(p.id);
  }
  return ids;
}
