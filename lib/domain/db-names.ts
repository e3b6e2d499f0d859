import type { DbEngine } from '@prisma/client';
import { MutuError } from './errors';
import { spipPrefix } from './prefix';
import { translatedError } from '../i18n/errors';

export type { DbEngine };

/** What each engine accepts: MySQL users are limited to 32 characters, PostgreSQL silently truncates past 63 bytes. */
export const NAME_LIMITS: Record<DbEngine, { database: number; user: number }> = {
  sqlite: { database: 64, user: 64 },
  mysql: { database: 64, user: 32 },
  postgresql: { database: 63, user: 63 },
};

export const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** A name Mutu puts into SQL as an identifier (a database, a user, a table prefix). */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name) || name.length > 63) throw translatedError((m) => new MutuError(m, 422), 'serviceErrors.dbIdentifier', { name });
  return name;
}

/**
 * The database and user names for a site: `mu_` + SPIP's prefix of its host, then `_2`,
 * `_3`... for the attempts after a collision. Always valid identifiers within the engine's limits.
 */
export function siteDbNames(host: string, engine: DbEngine, attempt = 1): { database: string; user: string } {
  const base = `mu_${spipPrefix(host)}`;
  const suffix = attempt > 1 ? `_${attempt}` : '';
  const fit = (limit: number) => base.slice(0, limit - suffix.length) + suffix;
  const limits = NAME_LIMITS[engine];
  return { database: assertIdentifier(fit(limits.database)), user: assertIdentifier(fit(limits.user)) };
}

/** A MySQL account's host part: a name, address or pattern, never containing quotes. */
export function assertHostMask(mask: string): string {
  if (!/^[A-Za-z0-9.%_:-]{1,255}$/.test(mask)) throw translatedError((m) => new MutuError(m, 422), 'serviceErrors.dbHostMask', { mask });
  return mask;
}
