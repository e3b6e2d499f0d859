import type { Certificate, CertificateSource } from '@prisma/client';
import * as z from 'zod';
import { db } from '../db/client';
import type { CertificateFacts } from '../domain/certificates';


/** The names a site's certificate must cover: its host, then every alias the front answers for (redirecting ones too). */
export async function siteNames(siteId: string): Promise<string[]> {
  const site = await db.site.findUniqueOrThrow({ where: { id: siteId }, select: { host: true, aliases: { select: { host: true }, orderBy: { host: 'asc' } } } });
  return [site.host, ...site.aliases.map((a) => a.host)];
}

/** The registry's row for the certificate now served; a new one clears the failures of the last. */
export async function recordCertificate(siteId: string, facts: CertificateFacts, source: CertificateSource): Promise<Certificate> {
  const data = {
    names: facts.names,
    issuer: facts.issuer,
    serial: facts.serial,
    fingerprint: facts.fingerprint,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    source,
    installedAt: new Date(),
    lastError: null,
    lastErrorAt: null,
    renewalFailures: 0,
  };
  return db.certificate.upsert({ where: { siteId }, create: { siteId, ...data }, update: data });
}

/** A failure to get a new certificate for a site that has one: kept on its row (the site page, the lists, the mail). */
export async function recordCertificateFailure(siteId: string, error: string, opts: { renewal: boolean }): Promise<void> {
  await db.certificate.updateMany({
    where: { siteId },
    data: { lastError: error.slice(0, 2000), lastErrorAt: new Date(), ...(opts.renewal ? { renewalFailures: { increment: 1 } } : {}) },
  });
}

const certificateNamesSchema = z.array(z.string());
export const certificateNames = (c: Pick<Certificate, 'names'>): string[] => certificateNamesSchema.parse(c.names);
