import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testCa } from '../helpers/certificates';
import { checkCertificate, nameCovers, parseChain, uncovered } from '@/lib/domain/certificates';
import { certificateState, daysLeft, dueBefore } from '@/lib/domain/certificate-dates';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-certs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const ca = testCa(dir);
const hosts = ['club.example.org', 'www.club.example.org'];
const DAY = 86_400_000;

describe('a certificate brought by an admin', () => {
  const good = ca.issue({ names: hosts });

  it('is accepted when its key matches, it is valid now and it covers every name; the chain follows the leaf', () => {
    const r = checkCertificate({ certPem: good.cert, keyPem: good.key, chainPem: ca.pem, hosts });
    expect(r.facts).toMatchObject({ names: hosts, issuer: 'Mutu test import CA' });
    expect(parseChain(r.fullchain).map((c) => c.subject)).toEqual(['CN=club.example.org', 'CN=Mutu test import CA']);
    expect(r.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is refused when the key is another’s', () => {
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => checkCertificate({ certPem: good.cert, keyPem: other, hosts })).toThrow(/the key does not match the certificate/);
  });

  it('is refused when it expired, or is not valid yet', () => {
    const old = ca.issue({ names: hosts, notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(() => checkCertificate({ certPem: old.cert, keyPem: old.key, hosts })).toThrow(/the certificate expired on \d{4}-\d\d-\d\d/);
    const later = ca.issue({ names: hosts, notBefore: new Date(Date.now() + 2 * DAY), notAfter: new Date(Date.now() + 60 * DAY) });
    expect(() => checkCertificate({ certPem: later.cert, keyPem: later.key, hosts })).toThrow(/is not valid before/);
  });

  it('is refused when it does not cover the host or one of its aliases, naming them', () => {
    const other = ca.issue({ names: ['other.example.org'] });
    expect(() => checkCertificate({ certPem: other.cert, keyPem: other.key, hosts })).toThrow(
      'the certificate does not cover club.example.org, www.club.example.org (it covers other.example.org): the front answers for club.example.org, www.club.example.org',
    );
    const hostOnly = ca.issue({ names: ['club.example.org'] });
    expect(() => checkCertificate({ certPem: hostOnly.cert, keyPem: hostOnly.key, hosts })).toThrow(/does not cover www\.club\.example\.org \(/);
  });

  it('refuses a key with a passphrase, a file without a certificate, a chain out of order', () => {
    const enc = crypto.createPrivateKey(good.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(() => checkCertificate({ certPem: good.cert, keyPem: enc, hosts })).toThrow(/passphrase/);
    expect(() => checkCertificate({ certPem: good.key, keyPem: good.key, hosts })).toThrow(/holds no PEM certificate/);
    const unrelated = ca.issue({ names: ['x.example.org'] });
    expect(() => checkCertificate({ certPem: good.cert, keyPem: good.key, chainPem: unrelated.cert, hosts })).toThrow(/did not issue certificate 1/);
  });

  it('wildcards cover one label', () => {
    expect(nameCovers('*.example.org', 'a.example.org')).toBe(true);
    expect(nameCovers('*.example.org', 'a.b.example.org')).toBe(false);
    expect(nameCovers('*.example.org', 'example.org')).toBe(false);
    expect(uncovered(['*.example.org', 'example.org'], ['example.org', 'www.example.org', 'a.b.example.org'])).toEqual(['a.b.example.org']);
  });

  it('is due for renewal within 30 days of its end; warned about within 14', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(dueBefore(now)).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(daysLeft(new Date('2026-12-15T12:00:00Z'), now)).toBe(14);
    const state = (notAfter: string, lastError: string | null = null) => certificateState({ notAfter: new Date(notAfter), lastError }, now);
    expect([state('2026-12-15T00:00:00Z'), state('2026-12-15T00:00:01Z'), state('2026-11-30T00:00:00Z'), state('2027-03-01T00:00:00Z', 'refused')]).toEqual(['expiring', 'ok', 'expired', 'failed']);
    expect(certificateState(null, now)).toBe('none');
  });
});
