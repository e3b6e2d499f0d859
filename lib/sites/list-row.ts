import { type DbEngine, type SiteStatus } from '@prisma/client';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { certificateState } from '../domain/certificate-dates';
import sql, { raw } from 'sql-template-tag';

// A row of the sites list as read from the registry, and the site it shows: shared by the
// dashboard's pages (lib/sites/list-query.ts) and the command line's stream (list-stream.ts).

export interface ListedRow {
  id: string;
  host: string;
  status: SiteStatus;
  platformId: string;
  node: string | null;
  platformName: string;
  platformProfile: ProfileName;
  platformVersion: string;
  dbName: string | null;
  dbUser: string | null;
  dbTablePrefix: string | null;
  dbShared: boolean | number | null;
  dbSizeBytes: bigint | number | null;
  serverName: string | null;
  serverEngine: DbEngine | null;
  diskBytes: bigint | number | null;
  diskImgBytes: bigint | number | null;
  diskLocalBytes: bigint | number | null;
  diskTmpBytes: bigint | number | null;
  dbBytes: bigint | number | null;
  sizesMeasuredAt: DateValue;
  healthStatus: string;
  healthCode: number | null;
  healthDetail: string | null;
  healthLatencyMs: number | null;
  healthCheckedAt: DateValue;
  certIssuer: string | null;
  certNotAfter: DateValue;
  certSource: string | null;
  certLastError: string | null;
  createdAt: DateValue;
  upgradedAt: DateValue;
  lastExportAt: DateValue;
}
type DateValue = Date | string | number | null;

/** What a listed row reads, over s (Site), p (Platform), d (SiteDatabase), v (DbServer) and c (Certificate). */
const LISTED_COLUMNS: Record<keyof ListedRow, string> = {
  id: 's."id"',
  host: 's."host"',
  status: 's."status"',
  platformId: 's."platformId"',
  node: 's."node"',
  platformName: 'p."name"',
  platformProfile: 'p."profile"',
  platformVersion: 'p."version"',
  dbName: 'd."name"',
  dbUser: 'd."user"',
  dbTablePrefix: 'd."tablePrefix"',
  dbShared: 'd."shared"',
  dbSizeBytes: 'd."sizeBytes"',
  serverName: 'v."name"',
  serverEngine: 'v."engine"',
  diskBytes: 's."diskBytes"',
  diskImgBytes: 's."diskImgBytes"',
  diskLocalBytes: 's."diskLocalBytes"',
  diskTmpBytes: 's."diskTmpBytes"',
  dbBytes: 's."dbBytes"',
  sizesMeasuredAt: 's."sizesMeasuredAt"',
  healthStatus: 's."healthStatus"',
  healthCode: 's."healthCode"',
  healthDetail: 's."healthDetail"',
  healthLatencyMs: 's."healthLatencyMs"',
  healthCheckedAt: 's."healthCheckedAt"',
  certIssuer: 'c."issuer"',
  certNotAfter: 'c."notAfter"',
  certSource: 'c."source"',
  certLastError: 'c."lastError"',
  createdAt: 's."createdAt"',
  upgradedAt: 's."upgradedAt"',
  lastExportAt: 's."lastExportAt"',
};
/** The columns' names, in the order the select list gives them (a row read as an array follows it). */
export const LISTED_ROW_KEYS = Object.keys(LISTED_COLUMNS) as (keyof ListedRow)[];
/** A listed row's values in that order, unnamed (trusted text: column names only). */
export const LISTED_VALUES = raw(LISTED_ROW_KEYS.map((k) => LISTED_COLUMNS[k]).join(', '));
/** The select list of a listed row (trusted text: column names only). */
export const LISTED_SELECT = raw(LISTED_ROW_KEYS.map((k) => `${LISTED_COLUMNS[k]} AS "${k}"`).join(', '));
/** A listed row's joins from s (Site): each at most one row per site, so the site stays the outer loop. */
export const LISTED_JOINS = sql`
    JOIN "Platform" p ON p."id" = s."platformId"
    LEFT JOIN "SiteDatabase" d ON d."siteId" = s."id"
    LEFT JOIN "DbServer" v ON v."id" = d."serverId"
    LEFT JOIN "Certificate" c ON c."siteId" = s."id"`;

/** One listed site, as the dashboard, the API and the command line show it. */
export function toListItem(s: ListedRow, webmasters: string[], upgradable: Set<string>, now: Date) {
  const certificate = s.certSource === null ? null : { issuer: s.certIssuer ?? '', notAfter: registryDate(s.certNotAfter)!, source: s.certSource, lastError: s.certLastError };
  return {
    id: s.id,
    host: s.host,
    status: s.status,
    node: s.node,
    adminPath: PROFILES[s.platformProfile].adminPath,
    platform: { name: s.platformName, profile: s.platformProfile, version: s.platformVersion },
    upgradable: upgradable.has(s.platformId),
    database:
      s.dbName === null
        ? null
        : {
            name: s.dbName,
            user: s.dbUser ?? '',
            tablePrefix: s.dbTablePrefix ?? '',
            shared: Boolean(s.dbShared),
            sizeBytes: num(s.dbSizeBytes),
            server: { name: s.serverName ?? '', engine: s.serverEngine ?? '' },
          },
    webmasters,
    disk: {
      total: num(s.diskBytes),
      img: num(s.diskImgBytes),
      local: num(s.diskLocalBytes),
      tmp: num(s.diskTmpBytes),
      db: num(s.dbBytes),
      measuredAt: registryDate(s.sizesMeasuredAt),
    },
    health: { status: s.healthStatus, code: s.healthCode, detail: s.healthDetail, latencyMs: s.healthLatencyMs, checkedAt: registryDate(s.healthCheckedAt) },
    tls: certificate ? { ...certificate, state: certificateState(certificate, now) } : null,
    createdAt: registryDate(s.createdAt)!,
    upgradedAt: registryDate(s.upgradedAt),
    lastExportAt: registryDate(s.lastExportAt),
  };
}

export type SiteListItem = ReturnType<typeof toListItem>;

const num = (v: bigint | number | null) => (v === null ? null : Number(v));
/** A raw DateTime as the registry's driver gives it (a Date, or SQLite's ISO text). */
export const registryDate = (v: DateValue) => (v === null ? null : v instanceof Date ? v : new Date(v));
