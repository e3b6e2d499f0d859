import { type Prisma, type $Enums } from '@prisma/client';
import { config } from '../config';
import { registryProvider, type RegistryProvider } from '../config/registry-url';
import { patternToLike } from '../domain/pattern';
import sql, { raw, type Sql } from 'sql-template-tag';

// Where the registry's SQLite and PostgreSQL differ, for the raw SQL and the few filters that
// would not mean the same on both: the one place that branches on the provider.

export const registryDialect = (): RegistryProvider => registryProvider(config().registryUrl);

/** A host pattern of lib/domain/pattern.ts (`*`, `?`) against a column, case as stored. */
export function matchesHostPattern(column: Sql, pattern: string): Sql {
  // GLOB is SQLite's own * and ? matching (hosts are lower case and hold no [ ]); PostgreSQL has LIKE with an escape.
  return registryDialect() === 'postgresql' ? sql`${column} LIKE ${patternToLike(pattern)} ESCAPE '\\'` : sql`${column} GLOB ${pattern}`;
}

/** `text` occurs in the column, case as stored (no LIKE: `_` and `%` are ordinary characters). */
export function containsText(column: Sql, text: string): Sql {
  return registryDialect() === 'postgresql' ? sql`strpos(${column}, ${text}) > 0` : sql`instr(${column}, ${text}) > 0`;
}

/** The UTC month (YYYY-MM) of a DateTime column. */
export function monthOf(column: Sql): Sql {
  // SQLite keeps Prisma's DateTime as ISO 8601 text in UTC; PostgreSQL as a timestamp in UTC.
  return registryDialect() === 'postgresql' ? sql`to_char(${column}, 'YYYY-MM')` : sql`substr(${column}, 1, 7)`;
}

/** A Prisma string filter matching `text` anywhere, ignoring the case of ASCII letters, as SQLite's LIKE does. */
export function containsIgnoringCase(text: string): Prisma.StringNullableFilter {
  // `mode` exists on PostgreSQL only (and this code is typed by the SQLite client).
  return registryDialect() === 'postgresql' ? ({ contains: text, mode: 'insensitive' } as Prisma.StringNullableFilter) : { contains: text };
}

/**
 * A value compared with an enum column in raw SQL (`s."status" = ${enumValue(status, 'SiteStatus')}`):
 * PostgreSQL has no `enum = text` operator, so the parameter is cast to the column's type (which
 * keeps the column's index usable); SQLite keeps enums as text.
 */
export function enumValue<E extends keyof typeof $Enums>(value: (typeof $Enums)[E][keyof (typeof $Enums)[E]], type: E): Sql {
  return registryDialect() === 'postgresql' ? sql`CAST(${value} AS ${raw(`"${type}"`)})` : sql`${value}`;
}

/**
 * A Json column's value in raw SQL, stored as Prisma stores it (JSON.stringify's text): SQLite
 * keeps it as text, PostgreSQL as jsonb, which takes no text parameter without a cast.
 */
export function jsonValue(value: unknown): Sql {
  const text = JSON.stringify(value);
  return registryDialect() === 'postgresql' ? sql`CAST(${text} AS jsonb)` : sql`${text}`;
}
