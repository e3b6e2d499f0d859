import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Translation } from './errors';
import { translatedError, type ServiceErrorKey } from '../i18n/errors';

/**
 * Certificates as the front serves them: what one says (names, issuer, dates), whether it
 * fits a site (its dates: certificate-dates.ts). Pure: parsing PEM text is no I/O.
 */

export class CertificateError extends Error {
  translation?: Translation;

  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** A certificate refused, in the catalogue's words (the import form says them in the reader's language). */
const refused = (key: ServiceErrorKey, values: Record<string, string | number> = {}) => translatedError((m) => new CertificateError(m), key, values);

export interface CertificateFacts {
  /** DNS names it is valid for (subjectAltName; the subject's CN when it has none) */
  names: string[];
  issuer: string;
  serial: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text, in order; refused when there is none or one does not parse. */
export function parseChain(pem: string, what: 'certificate' | 'chain' | (string & {}) = 'certificate'): X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (!blocks.length) throw refused('serviceErrors.certNoPem', { file: what });
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw refused('serviceErrors.certUnreadable', { n: i + 1, file: what, reason: err instanceof Error ? err.message : String(err) });
    }
  });
}

/** The chain as nginx wants it: the leaf, then the intermediates, one PEM block each. */
export const chainPem = (chain: X509Certificate[]) => chain.map((c) => c.toString().trim()).join('\n') + '\n';

const field = (dn: string, name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(dn)?.[1]?.trim();

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const san = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((e) => e.startsWith('DNS:'))
    .map((e) => e.slice(4).toLowerCase());
  const cn = field(cert.subject, 'CN');
  return {
    names: san.length ? [...new Set(san)] : cn ? [cn.toLowerCase()] : [],
    issuer: field(cert.issuer, 'CN') ?? field(cert.issuer, 'O') ?? cert.issuer.replace(/\n/g, ', '),
    serial: cert.serialNumber.toLowerCase(),
    fingerprint: cert.fingerprint256,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** Whether a certificate name (maybe a wildcard, `*.example.org`: one label) covers a host. */
export function nameCovers(name: string, host: string): boolean {
  if (name === host) return true;
  if (!name.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}

/** The hosts among `hosts` that no name of the certificate covers. */
export function uncovered(names: string[], hosts: string[]): string[] {
  return hosts.filter((h) => !names.some((n) => nameCovers(n, h)));
}

function readKey(keyPem: string): KeyObject {
  if (/ENCRYPTED/.test(keyPem)) {
    throw refused('serviceErrors.certKeyPassphrase');
  }
  try {
    const key = createPrivateKey(keyPem);
    if (key.type !== 'private') throw new Error('not a private key');
    return key;
  } catch {
    throw refused('serviceErrors.certKeyNotPem');
  }
}

/**
 * A certificate brought by an admin, checked before anything is written: its key matches,
 * it is valid now, it covers the site's host and every alias the front answers for, and the
 * chain given (or included after the leaf) issued it. Returns what it says and the text of
 * the files the front gets; refuses with the reason otherwise.
 */
export function checkCertificate(input: { certPem: string; keyPem: string; chainPem?: string; hosts: string[]; now?: Date }): {
  facts: CertificateFacts;
  fullchain: string;
  key: string;
} {
  const now = input.now ?? new Date();
  const chain = [...parseChain(input.certPem), ...(input.chainPem ? parseChain(input.chainPem, 'chain') : [])];
  const leaf = chain[0]!;
  const facts = certificateFacts(leaf);
  const key = readKey(input.keyPem);
  if (!leaf.checkPrivateKey(key)) throw refused('serviceErrors.certKeyMismatch', { serial: facts.serial });
  if (facts.notAfter <= now) throw refused('serviceErrors.certExpired', { date: facts.notAfter.toISOString().slice(0, 10) });
  if (facts.notBefore > now) throw refused('serviceErrors.certNotYet', { date: facts.notBefore.toISOString() });
  const missing = uncovered(facts.names, input.hosts);
  if (missing.length) {
    throw refused('serviceErrors.certNotCovering', { missing: missing.join(', '), names: facts.names.join(', '), count: facts.names.length, hosts: input.hosts.join(', ') });
  }
  for (let i = 1; i < chain.length; i++) {
    if (!chain[i - 1]!.checkIssued(chain[i]!) || !chain[i - 1]!.verify(chain[i]!.publicKey)) {
      throw refused('serviceErrors.certChainOrder', { n: i + 1, previous: i, subject: chain[i]!.subject.replace(/\n/g, ', ') });
    }
  }
  return { facts, fullchain: chainPem(chain), key: key.export({ format: 'pem', type: 'pkcs8' }).toString() };
}
