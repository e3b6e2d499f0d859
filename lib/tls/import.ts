import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { CertificateError, checkCertificate } from '../domain/certificates';
import { formatDate } from '../domain/format';
import { loadSiteRecord } from '../front/site-front';
import { frontLayout } from '../front/settings';
import { reasonOf, translatedError } from '../i18n/errors';
import { SiteError } from '../sites/errors';
import { findSite } from '../sites/lifecycle';
import { forgetPreviousCertificate, installCertificate, restorePreviousCertificate, tlsUnavailable, tlsUnavailableError } from './install';
import { recordCertificate, siteNames } from './records';

export interface ImportInput {
  certPem: string;
  keyPem: string;
  chainPem?: string;
}

/**
 * A certificate brought by an admin: checked first (its key, its dates, every name the front
 * answers for the site, its chain), then installed and served like one from the CA, and
 * recorded. A refusal changes nothing; a refusal of the front (nginx -t) neither.
 */
export async function importCertificate(actor: Actor, host: string, input: ImportInput) {
  const found = await findSite(host);
  const names = await siteNames(found.id);
  let checked: ReturnType<typeof checkCertificate>;
  try {
    checked = checkCertificate({ ...input, hosts: names });
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    await recordAudit(actor, { action: 'tls.import', siteId: found.id, siteHost: found.host, ok: false, details: { error: err.message } });
    throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.certNotImported', { reason: reasonOf(err) });
  }
  const why = tlsUnavailable(await loadSiteRecord(found.host), found.host);
  if (why) throw tlsUnavailableError(why);
  try {
    await installCertificate(found.host, { fullchain: checked.fullchain, key: checked.key });
    await recordCertificate(found.id, checked.facts, 'imported');
  } catch (err) {
    await restorePreviousCertificate(found.host).catch(() => {});
    throw err instanceof SiteError ? err : translatedError((m) => new SiteError(m, 502), 'serviceErrors.certFrontRefused', { reason: reasonOf(err) });
  }
  forgetPreviousCertificate(frontLayout(), found.host);
  const { facts } = checked;
  await recordAudit(actor, {
    action: 'tls.import',
    siteId: found.id,
    siteHost: found.host,
    details: { serial: facts.serial, issuer: facts.issuer, names: facts.names, notAfter: facts.notAfter.toISOString() },
  });
  return { site: found, facts, summary: `${found.host} serves the certificate ${facts.serial} of ${facts.issuer} (${facts.names.join(', ')}), valid until ${formatDate(facts.notAfter)}` };
}
