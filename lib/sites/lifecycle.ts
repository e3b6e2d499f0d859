import { db } from '../db/client';
import { reasonOf, rewordedError, translatedError } from '../i18n/errors';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { normalizeHost } from '../domain/host';
import { serveSite } from '../front/apply';
import { enqueue } from '../jobs/queue';
import { destroyHandler } from './destroy-handler';
import { SiteError } from './errors';
import { doneBy, notifyWebmasters } from './webmaster-notify';

export async function findSite(host: string) {
  let canonical: string;
  try {
    canonical = normalizeHost(host);
  } catch (err) {
    throw rewordedError(err, (m) => new SiteError(m, 422));
  }
  const site = await db.site.findUnique({ where: { host: canonical } });
  if (!site) throw translatedError((m) => new SiteError(m, 404), 'serviceErrors.siteUnknown', { host: canonical });
  return site;
}

/**
 * Marks a site disabled (the front answers 503 with the maintenance page), keeping
 * everything (folder, database, webmasters), or active again. When the front cannot apply
 * the change, the registry is put back and the front's own message is thrown.
 */
export async function setSiteEnabled(actor: Actor, host: string, enabled: boolean) {
  const site = await findSite(host);
  const from = enabled ? 'disabled' : 'active';
  const { count } = await db.site.updateMany({
    where: { id: site.id, status: from },
    data: enabled ? { status: 'active', disabledAt: null } : { status: 'disabled', disabledAt: new Date() },
  });
  if (!count) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.siteCannotToggle', { host: site.host, status: site.status, from, enabled: enabled ? 'yes' : 'no' });
  try {
    await serveSite(site.host, { keepOwners: true });
  } catch (err) {
    await db.site.updateMany({ where: { id: site.id }, data: { status: site.status, disabledAt: site.disabledAt } });
    await recordAudit(actor, { action: enabled ? 'site.enable' : 'site.disable', siteId: site.id, siteHost: site.host, ok: false, details: { error: errorText(err) } });
    throw translatedError((m) => new SiteError(m, 502), 'serviceErrors.siteLeftAsItWas', { host: site.host, status: site.status, reason: reasonOf(err) });
  }
  await recordAudit(actor, { action: enabled ? 'site.enable' : 'site.disable', siteId: site.id, siteHost: site.host });
  // Told once the change holds; a mail that fails is reported, never undoes it.
  await notifyWebmasters(site.id, { kind: enabled ? 'enabled' : 'disabled' }, { by: doneBy(actor) }).catch((err) => console.warn(`[mail] ${String(err)}`));
  return db.site.findUniqueOrThrow({ where: { id: site.id } });
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Queues the destruction of a site. The caller has made the person confirm (the host
 * typed again, or --yes). A site busy with another job waits for it. `dropDatabase` asks to
 * drop an adopted site's database and user too, which are otherwise kept.
 */
export async function requestDestroy(actor: Actor, host: string, confirmation: string, opts: { dropDatabase?: boolean } = {}) {
  const site = await findSite(host);
  if (confirmation !== site.host) throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.destroyConfirm', { host: site.host });
  if (site.status === 'provisioning') throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.destroyProvisioning', { host: site.host });
  await db.site.update({ where: { id: site.id }, data: { status: 'disabled', disabledAt: site.disabledAt ?? new Date() } });
  const dropDatabase = !!opts.dropDatabase;
  const job = await enqueue(destroyHandler, { siteId: site.id, host: site.host, dropDatabase, actor }, { actor, lockKey: site.host, siteId: site.id });
  await recordAudit(actor, { action: 'site.destroy.request', siteId: site.id, siteHost: site.host, details: { jobId: job.id, dropDatabase } });
  return { site, job };
}
