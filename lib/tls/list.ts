import { db } from '../db/client';
import { certificateState, daysLeft, dueBefore } from '../domain/certificate-dates';
import { certificateNames } from './records';

/** Every certificate the front serves, soonest to expire first; `expiringDays`: only those expiring within that many days. */
export async function listCertificates(opts: { expiringDays?: number } = {}, now = new Date()) {
  const rows = await db.certificate.findMany({
    where: opts.expiringDays ? { notAfter: { lte: dueBefore(now, opts.expiringDays) } } : {},
    include: { site: { select: { host: true, status: true } } },
    orderBy: [{ notAfter: 'asc' }, { site: { host: 'asc' } }],
  });
  return rows.map((c) => ({
    host: c.site.host,
    siteStatus: c.site.status,
    state: certificateState(c, now),
    names: certificateNames(c),
    issuer: c.issuer,
    serial: c.serial,
    source: c.source,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysLeft: daysLeft(c.notAfter, now),
    hsts: c.hsts,
    installedAt: c.installedAt,
    lastError: c.lastError,
    lastErrorAt: c.lastErrorAt,
    renewalFailures: c.renewalFailures,
  }));
}
