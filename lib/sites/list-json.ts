import { certificateState } from '../domain/certificate-dates';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { LISTED_ROW_KEYS, registryDate, type ListedRow } from './list-row';

/*
 * A listed site written straight as its printed JSON text, from the row a SQLite registry gives
 * (an array in the select list's order): the very text jsonElementsText([toListItem(row)]) gives,
 * without building the item then walking it again. At 25,000 sites the items, their dates parsed
 * then formatted back, and JSON.stringify's walk cost more than stepping the statement.
 * tests/unit/list-json.test.ts holds both to the same text.
 */

/** Where each column is in a row. */
const at = Object.fromEntries(LISTED_ROW_KEYS.map((k, i) => [k, i])) as Record<keyof ListedRow, number>;

/** A string, number, boolean or null as JSON. */
const j = JSON.stringify;

/** A site's size column as the item has it (a number or null), as JSON. */
const size = (v: unknown) => (v === null ? 'null' : j(Number(v)));

/** Prisma's DateTime text in SQLite, for the days every month has: the instant it names is that text. */
const PLAIN_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}\+00:00$/;

/** A DateTime column as JSON: its Date's text, read off Prisma's text when it is plain (a Date's parse costs 2 µs). */
function date(v: unknown): string {
  if (typeof v === 'string' && PLAIN_UTC.test(v)) return `"${v.slice(0, 23)}Z"`;
  return j(registryDate(v as ListedRow['createdAt']));
}

/** The webmasters' e-mails, indented as the item's. */
const emails = (list: string[]) => (list.length ? `[\n${list.map((e) => `      ${j(e)}`).join(',\n')}\n    ]` : '[]');

function database(v: unknown[]): string {
  if (v[at.dbName] === null) return 'null';
  return `{
      "name": ${j(v[at.dbName])},
      "user": ${j(v[at.dbUser] ?? '')},
      "tablePrefix": ${j(v[at.dbTablePrefix] ?? '')},
      "shared": ${Boolean(v[at.dbShared])},
      "sizeBytes": ${size(v[at.dbSizeBytes])},
      "server": {
        "name": ${j(v[at.serverName] ?? '')},
        "engine": ${j(v[at.serverEngine] ?? '')}
      }
    }`;
}

function tls(v: unknown[], now: Date): string {
  if (v[at.certSource] === null) return 'null';
  const notAfter = registryDate(v[at.certNotAfter] as ListedRow['certNotAfter'])!;
  const lastError = v[at.certLastError] as string | null;
  return `{
      "issuer": ${j(v[at.certIssuer] ?? '')},
      "notAfter": ${j(notAfter)},
      "source": ${j(v[at.certSource])},
      "lastError": ${j(lastError)},
      "state": ${j(certificateState({ notAfter, lastError }, now))}
    }`;
}

/** One listed site's text as an element of the printed list, from its row and its webmasters. */
export function listedSiteJson(v: unknown[], webmasters: string[], upgradable: Set<string>, now: Date): string {
  return `  {
    "id": ${j(v[at.id])},
    "host": ${j(v[at.host])},
    "status": ${j(v[at.status])},
    "node": ${j(v[at.node])},
    "adminPath": ${j(PROFILES[v[at.platformProfile] as ProfileName].adminPath)},
    "platform": {
      "name": ${j(v[at.platformName])},
      "profile": ${j(v[at.platformProfile])},
      "version": ${j(v[at.platformVersion])}
    },
    "upgradable": ${upgradable.has(v[at.platformId] as string)},
    "database": ${database(v)},
    "webmasters": ${emails(webmasters)},
    "disk": {
      "total": ${size(v[at.diskBytes])},
      "img": ${size(v[at.diskImgBytes])},
      "local": ${size(v[at.diskLocalBytes])},
      "tmp": ${size(v[at.diskTmpBytes])},
      "db": ${size(v[at.dbBytes])},
      "measuredAt": ${date(v[at.sizesMeasuredAt])}
    },
    "health": {
      "status": ${j(v[at.healthStatus])},
      "code": ${j(v[at.healthCode])},
      "detail": ${j(v[at.healthDetail])},
      "latencyMs": ${j(v[at.healthLatencyMs])},
      "checkedAt": ${date(v[at.healthCheckedAt])}
    },
    "tls": ${tls(v, now)},
    "createdAt": ${date(v[at.createdAt])},
    "upgradedAt": ${date(v[at.upgradedAt])},
    "lastExportAt": ${date(v[at.lastExportAt])}
  }`;
}
