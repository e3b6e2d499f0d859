import fs from 'node:fs';
import type { Config } from '../config';
import { db } from '../db/client';
import { parseChain } from '../domain/certificates';
import { dueBefore, EXPIRY_WARNING_DAYS } from '../domain/certificate-dates';
import { errorText, fail, ok, warn, type CheckResult } from './check';

const few = (hosts: string[]) => `${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ` and ${hosts.length - 5} more` : ''}`;

/**
 * HTTPS: the extra CA file for the ACME directory is a readable PEM; no certificate has
 * expired (fail) or expires within 14 days or failed to renew (warn). Reads only.
 */
export async function checkCertificates(cfg: Config): Promise<CheckResult> {
  const name = 'certificates';
  if (cfg.acme.caFile) {
    try {
      parseChain(fs.readFileSync(cfg.acme.caFile, 'utf8'), `MUTU_ACME_CA_FILE ${cfg.acme.caFile}`);
    } catch (err) {
      return fail(name, `${errorText(err)}: point MUTU_ACME_CA_FILE at a PEM file of CA certificates, or unset it`);
    }
  }
  const now = new Date();
  const [total, expired, expiring, failed] = await Promise.all([
    db.certificate.count(),
    db.certificate.findMany({ where: { notAfter: { lte: now } }, select: { site: { select: { host: true } } } }),
    db.certificate.findMany({ where: { notAfter: { gt: now, lte: dueBefore(now, EXPIRY_WARNING_DAYS) } }, select: { site: { select: { host: true } } } }),
    db.certificate.findMany({ where: { lastError: { not: null } }, select: { site: { select: { host: true } } } }),
  ]);
  const hosts = (rows: { site: { host: string } }[]) => rows.map((r) => r.site.host);
  const from = cfg.acme.directory ? `from ${new URL(cfg.acme.directory).host}` : 'no ACME directory (MUTU_ACME_DIRECTORY): imported certificates only';
  if (expired.length) return fail(name, `${expired.length} expired, served as is: ${few(hosts(expired))} (mutu tls issue, or mutu tls import)`);
  if (expiring.length || failed.length) {
    const parts = [expiring.length ? `${expiring.length} expire within ${EXPIRY_WARNING_DAYS} days: ${few(hosts(expiring))}` : '', failed.length ? `${failed.length} failed to renew: ${few(hosts(failed))}` : ''];
    return warn(name, `${parts.filter(Boolean).join('; ')} (mutu tls list)`);
  }
  return ok(name, `${total} certificate${total === 1 ? '' : 's'}, none expiring within ${EXPIRY_WARNING_DAYS} days; ${from}`);
}
