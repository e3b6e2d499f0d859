import { describe, expect, it } from 'vitest';
import { jsonElementsText } from '@/lib/domain/json-text';
import { listedSiteJson } from '@/lib/sites/list-json';
import { LISTED_ROW_KEYS, toListItem, type ListedRow } from '@/lib/sites/list-row';

// The command line writes a SQLite registry's rows straight as text: the text must be the item's,
// whatever the row holds (tests/integration/sites-list.test.ts compares them on a real registry).

const NOW = new Date('2026-12-02T12:00:00.000Z');

const base: ListedRow = {
  id: 'cl0000000000000000000000',
  host: 'team-1.club.example.org',
  status: 'active',
  platformId: 'p-old',
  node: null,
  platformName: 'spip-4.3.2',
  platformProfile: 'spip',
  platformVersion: '4.3.2',
  dbName: null,
  dbUser: null,
  dbTablePrefix: null,
  dbShared: null,
  dbSizeBytes: null,
  serverName: null,
  serverEngine: null,
  diskBytes: null,
  diskImgBytes: null,
  diskLocalBytes: null,
  diskTmpBytes: null,
  dbBytes: null,
  sizesMeasuredAt: null,
  healthStatus: 'unknown',
  healthCode: null,
  healthDetail: null,
  healthLatencyMs: null,
  healthCheckedAt: null,
  certIssuer: null,
  certNotAfter: null,
  certSource: null,
  certLastError: null,
  createdAt: '2023-10-14T12:00:00.000+00:00',
  upgradedAt: null,
  lastExportAt: null,
};

const database = { dbName: 'team1', dbUser: 'team1', dbTablePrefix: 'spip_', dbShared: 1, dbSizeBytes: 123_456, serverName: 'maria-a', serverEngine: 'mysql' as const };
const measured = { diskBytes: 26_279_936, diskImgBytes: 0, diskLocalBytes: null, diskTmpBytes: 4096, dbBytes: 8192, sizesMeasuredAt: '2025-06-01T12:00:00.000+00:00' };
const certificate = (notAfter: string, lastError: string | null = null) => ({ certIssuer: "Let's Encrypt R11", certNotAfter: notAfter, certSource: 'acme', certLastError: lastError });

const rows: [string, Partial<ListedRow>, string[]][] = [
  ['nothing measured, no database, no webmaster', {}, []],
  ['a database, sizes, health, one webmaster', { ...database, ...measured, healthStatus: 'up', healthCode: 200, healthLatencyMs: 42, healthCheckedAt: '2025-06-01T12:00:00.000+00:00' }, ['owner@example.org']],
  ['a database not shared, empty user and prefix', { ...database, dbUser: null, dbTablePrefix: null, dbShared: 0, serverName: null, serverEngine: null, platformProfile: 'moodle', node: 'web2' }, ['a@example.org', 'b@example.org']],
  ['texts JSON escapes', { host: 'xn--caf-dma.example.org', healthStatus: 'error', healthDetail: 'answers "500"\n\ttab \\ back\u0001 é 😀 \u2028', healthCode: 500 }, ['"quoted"@example.org']],
  ['a certificate ok', certificate('2027-03-01T00:00:00.000+00:00'), []],
  ['a certificate expiring', certificate('2026-12-10T00:00:00.000+00:00'), []],
  ['a certificate expired', certificate('2026-11-30T00:00:00.000+00:00'), []],
  ['a certificate failing to renew', certificate('2027-01-30T00:00:00.000+00:00', 'rate limited'), []],
  ['dates past the 28th, at midnight and at the end of a day', { createdAt: '2024-02-29T00:00:00.000+00:00', upgradedAt: '2023-02-31T23:59:59.999+00:00', lastExportAt: '2025-12-31T23:59:59.999+00:00' }, []],
  ['dates not in Prisma\'s text: another offset, no milliseconds, a number, not a date', { createdAt: '2026-01-02T03:04:05+02:00', upgradedAt: 1_700_000_000_000, lastExportAt: 'not a date', sizesMeasuredAt: '2023-13-01T12:00:00.000+00:00' }, []],
  ['sizes past 2^53 and a generic platform', { platformProfile: 'generic', diskBytes: 2n ** 60n, dbBytes: 0 }, []],
];

describe('listedSiteJson', () => {
  it.each(rows)('is the text of the listed item: %s', (_name, over, webmasters) => {
    const row = { ...base, ...over };
    const values = LISTED_ROW_KEYS.map((k) => row[k]);
    for (const upgradable of [new Set<string>(), new Set(['p-old'])]) {
      expect(listedSiteJson(values, webmasters, upgradable, NOW)).toBe(jsonElementsText([toListItem(row, webmasters, upgradable, NOW)]));
    }
  });
});
