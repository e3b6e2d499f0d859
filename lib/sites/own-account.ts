import type { DbServer, SiteDatabase } from '@prisma/client';
import { otherDatabaseUses } from './db-users';
import { SiteError } from './errors';

/** Refuses, saying why, a site whose database account cannot be given a new password on its own. */
export async function assertOwnAccount(host: string, rec: (SiteDatabase & { server: DbServer }) | null): Promise<SiteDatabase & { server: DbServer }> {
  if (!rec) throw new SiteError(`${host} has no database in the registry`, 409);
  if (rec.server.engine === 'sqlite') throw new SiteError(`${host} keeps its database in a SQLite file, which has no account and no password: there is nothing to change`, 422);
  if (rec.shared) {
    throw new SiteError(`${host} has its tables in the shared database ${rec.name}, whose one account ${rec.user} every site there uses: its password cannot change for one site`, 422);
  }
  const sharers = (await otherDatabaseUses(rec.siteId, rec.server)).filter((o) => o.user === rec.user);
  if (sharers.length) {
    throw new SiteError(`the account ${rec.user} of ${host} is also used by ${sharers.map((o) => o.who).join(', ')}: a new password would cut them off`, 409);
  }
  return rec;
}
