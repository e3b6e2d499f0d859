import type { DbServer, SiteDatabase } from '@prisma/client';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { enqueueJob } from '../jobs/queue';
import { otherDatabaseUses } from './db-users';
import { SiteError } from './errors';
import { findSite } from './lifecycle';

export const DB_PASSWORD_KIND = 'site.db-password';

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

/**
 * Queues a new password for a site's own database account (site.db-password): set on the
 * server by its hash, written into the site's connection file, proved by the site's login,
 * then recorded. Refused at once for SQLite and shared accounts.
 */
export async function requestDbPasswordChange(actor: Actor, host: string) {
  const site = await findSite(host);
  if (site.status !== 'active' && site.status !== 'disabled') throw new SiteError(`${site.host} is ${site.status}: only an active or disabled site can get a new database password`, 409);
  await assertOwnAccount(site.host, await db.siteDatabase.findUnique({ where: { siteId: site.id }, include: { server: true } }));
  const job = await enqueueJob(actor, { kind: DB_PASSWORD_KIND, lockKey: site.host, siteId: site.id, target: site.host, params: { siteId: site.id, host: site.host, actor } });
  await recordAudit(actor, { action: 'site.db-password.request', siteId: site.id, siteHost: site.host, details: { jobId: job.id } });
  return { site, job };
}
