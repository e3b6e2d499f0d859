import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { serveSite } from '../front/apply';
import { SiteError } from '../sites/errors';
import { findSite } from '../sites/lifecycle';

/**
 * Strict-Transport-Security for a site with a certificate: browsers that saw it come back
 * over HTTPS only, for a year. Applied by the front at once; a refusal puts it back.
 */
export async function setHsts(actor: Actor, host: string, on: boolean) {
  const site = await findSite(host);
  const cert = await db.certificate.findUnique({ where: { siteId: site.id } });
  if (!cert) throw new SiteError(`${site.host} has no certificate: HSTS would tell browsers to come back over HTTPS, which does not answer`, 409);
  await db.certificate.update({ where: { id: cert.id }, data: { hsts: on } });
  try {
    await serveSite(site.host, { keepOwners: true });
  } catch (err) {
    await db.certificate.update({ where: { id: cert.id }, data: { hsts: cert.hsts } });
    throw new SiteError(`nothing changed: the front refused it (${err instanceof Error ? err.message : String(err)})`, 502);
  }
  await recordAudit(actor, { action: on ? 'tls.hsts.on' : 'tls.hsts.off', siteId: site.id, siteHost: site.host });
  return { site, on };
}
