import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { enqueue } from '../jobs/queue';
import { dbPasswordHandler } from './db-password-handler';
import { SiteError } from './errors';
import { assertOwnAccount } from './own-account';
import { findSite } from './lifecycle';

/**
 * Queues a new password for a site's own database account (site.db-password): set on the
 * server by its hash, written into the site's connection file, proved by the site's login,
 * then recorded. Refused at once for SQLite and shared accounts.
 */
export async function requestDbPasswordChange(actor: Actor, host: string) {
  const site = await findSite(host);
  if (site.status !== 'active' && site.status !== 'disabled') throw new SiteError(`${site.host} is ${site.status}: only an active or disabled site can get a new database password`, 409);
  await assertOwnAccount(site.host, await db.siteDatabase.findUnique({ where: { siteId: site.id }, include: { server: true } }));
  const job = await enqueue(dbPasswordHandler, { siteId: site.id, host: site.host, actor }, { actor, lockKey: site.host, siteId: site.id });
  await recordAudit(actor, { action: 'site.db-password.request', siteId: site.id, siteHost: site.host, details: { jobId: job.id } });
  return { site, job };
}
