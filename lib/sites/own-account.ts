import type { DbServer, SiteDatabase } from '@prisma/client';
import { otherDatabaseUses } from './db-users';
import { translatedError } from '../i18n/errors';
import { SiteError } from './errors';

/** Refuses, saying why, a site whose database account cannot be given a new password on its own. */
export async function assertOwnAccount(host: string, rec: (SiteDatabase & { server: DbServer }) | null): Promise<SiteDatabase & { server: DbServer }> {
  if (!rec) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.noDatabase', { host });
  if (rec.server.engine === 'sqlite') throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.sqliteNoAccount', { host });
  if (rec.shared) {
    throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.sharedDatabaseAccount', { host, database: rec.name, user: rec.user });
  }
  const sharers = (await otherDatabaseUses(rec.siteId, rec.server)).filter((o) => o.user === rec.user);
  if (sharers.length) {
    throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.accountShared', { user: rec.user, host, others: sharers.map((o) => o.who).join(', ') });
  }
  return rec;
}
