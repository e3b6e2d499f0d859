import { certificateFacts, parseChain, uncovered, type CertificateFacts } from '../domain/certificates';
import { formatDate } from '../domain/format';
import { frontLayout } from '../front/settings';
import { obtainCertificate } from './acme';
import { answerChallenge, forgetChallenge } from './challenges';
import { forgetPreviousCertificate, installCertificate, restorePreviousCertificate } from './install';
import { recordCertificate, siteNames } from './records';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

type Log = (message: string) => Promise<void>;

/** A certificate from the farm's CA for a site's host and all its aliases (the tokens answered by the front). */
export async function obtainSiteCertificate(site: { id: string; host: string }, log: Log): Promise<{ fullchain: string; key: string; facts: CertificateFacts }> {
  const names = await siteNames(site.id);
  const pem = await obtainCertificate(names, { answer: answerChallenge, forget: forgetChallenge, log });
  const facts = certificateFacts(parseChain(pem.fullchain, 'the CA\'s answer')[0]!);
  const missing = uncovered(facts.names, names);
  if (missing.length) throw translatedError((m) => new Error(m), 'serviceErrors.acmeNotCovering', { missing: missing.join(', ') });
  await log(formatWorkerLine('certIssued', { serial: facts.serial, issuer: facts.issuer, names: facts.names.join(', '), date: formatDate(facts.notAfter) }));
  return { ...pem, facts };
}

/**
 * A new certificate for a site, in place and recorded, in one go (the daily renewal): any
 * failure after it was put in place puts the previous one back, so the site keeps serving
 * what it served.
 */
export async function renewSiteCertificate(site: { id: string; host: string }, log: Log): Promise<CertificateFacts> {
  const pem = await obtainSiteCertificate(site, log);
  try {
    await installCertificate(site.host, pem);
    await recordCertificate(site.id, pem.facts, 'acme');
    forgetPreviousCertificate(frontLayout(), site.host);
  } catch (err) {
    await restorePreviousCertificate(site.host).catch(() => {});
    throw err;
  }
  return pem.facts;
}
