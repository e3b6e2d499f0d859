import { describe, expect, it } from 'vitest';
import { byLocale } from '@/lib/mail/recipients';
import { phrase, reasonOf, translatedError } from '@/lib/i18n/errors';
import { AcmeError } from '@/lib/tls/acme';
import { MAX_LISTED, renewalMail, runMail, siteEventMail, type RunMailFacts } from '@/lib/texts/admin-mails';

const NBSP = '\u00a0';
const SITE_URL = 'https://mutu.example.org/sites/a.example.org';
const JOB_URL = 'https://mutu.example.org/jobs/j1';

describe('the site mails to admins', () => {
  it('say in English what they said before, links last', () => {
    const mail = siteEventMail('created', { host: 'a.example.org', by: 'boss@example.org', siteUrl: SITE_URL, jobUrl: JOB_URL }, 'en');
    expect(mail.subject).toBe('[Mutu] Site created: a.example.org');
    expect(mail.text).toBe(`The site a.example.org was created (asked by boss@example.org).\n\nSite: ${SITE_URL}\nJob log: ${JOB_URL}\n`);
  });

  it('say it in French, with French typography, the reason of a failure as it came', () => {
    const mail = siteEventMail('failed', { host: 'a.example.org', error: 'the disk filled up', siteUrl: SITE_URL, jobUrl: JOB_URL }, 'fr');
    expect(mail.subject).toBe(`[Mutu] Échec de la création du site${NBSP}: a.example.org`);
    expect(mail.text).toContain('La création du site a.example.org a échoué, et tout ce qu’elle avait fait a été défait.');
    expect(mail.text).toContain(`Raison${NBSP}: the disk filled up`);
    expect(siteEventMail('failed', { host: 'a.example.org' }, 'fr').text).toContain(`Raison${NBSP}: inconnue`);
  });

  it('give a destroyed site no link to its page', () => {
    const mail = siteEventMail('destroyed', { host: 'a.example.org', siteUrl: SITE_URL }, 'fr');
    expect(mail.subject).toBe(`[Mutu] Site détruit${NBSP}: a.example.org`);
    expect(mail.text).toBe(`Le site a.example.org a été détruit${NBSP}; son dossier est dans la corbeille de la ferme.\n`);
  });
});

describe('the run mails', () => {
  const facts = (over: Partial<RunMailFacts> = {}): RunMailFacts => ({
    id: 'r1',
    status: 'running',
    selection: '*.example.org',
    target: 'spip-4.3',
    totals: { total: 12_345, done: 5_000, succeeded: 4_990, failed: 10, skipped: 0, inFlight: 4, pending: 7_341 },
    etaMs: (3 * 60 + 4) * 1000,
    failed: [],
    runUrl: 'https://mutu.example.org/runs/r1',
    ...over,
  });

  it('give counts, percentages and the time left the reader’s way', () => {
    const en = runMail('progress', facts(), 'en');
    expect(en.subject).toBe('[Mutu] Upgrade run to spip-4.3: 40% done');
    expect(en.text).toContain('Sites: 12,345; upgraded 4,990, failed 10, skipped 0, in progress 4, waiting 7,341');
    expect(en.text).toContain('Time left: about 3 min 4 s');
    const fr = runMail('progress', facts(), 'fr');
    expect(fr.subject).toBe(`[Mutu] Campagne de mise à jour vers spip-4.3${NBSP}: 40${NBSP}% effectués`);
    expect(fr.text).toMatch(/Sites\u00a0: 12\s345\u00a0; mis à jour 4\s990, en échec 10/);
    expect(fr.text).toContain(`Temps restant${NBSP}: environ 3${NBSP}min 4${NBSP}s`);
    expect(fr.text).toContain(`État${NBSP}: en cours`);
  });

  it('name the paused run’s reason and list the failed sites, up to a limit', () => {
    const failed = Array.from({ length: MAX_LISTED + 2 }, (_, i) => ({ host: `s${i}.example.org`, state: i === 0 ? 'skipped' : 'failed', error: i === 0 ? null : 'health check failed' }));
    const fr = runMail('paused', facts({ status: 'paused', pausedReason: '3 failure(s), more than the 2 allowed', failed }), 'fr');
    expect(fr.subject).toBe('[Mutu] Campagne de mise à jour vers spip-4.3 en pause');
    expect(fr.text).toContain(`État${NBSP}: en pause (3 failure(s), more than the 2 allowed)`);
    expect(fr.text).toContain(`  s0.example.org: laissé de côté`);
    expect(fr.text).toContain(`  s1.example.org: health check failed`);
    expect(fr.text).not.toContain(`s${MAX_LISTED}.example.org`);
    expect(fr.text).toContain('  … et 2 de plus');
    const en = runMail('ended', facts({ status: 'partial', failed }), 'en');
    expect(en.subject).toBe('[Mutu] Upgrade run to spip-4.3 partial');
    expect(en.text).not.toContain('Time left');
    expect(en.text).toContain('Failed (each rolled back to its previous state):\n  s0.example.org: skipped');
    expect(en.text).toContain('  ... and 2 more');
  });

  it('start with the number of sites, in the reader’s plural', () => {
    expect(runMail('started', facts({ totals: { ...facts().totals, total: 1 } }), 'fr').subject).toBe(`[Mutu] Campagne de mise à jour lancée${NBSP}: 1 site vers spip-4.3`);
    expect(runMail('started', facts({ totals: { ...facts().totals, total: 5 } }), 'en').subject).toBe('[Mutu] Upgrade run started: 5 site(s) to spip-4.3');
  });
});

describe('the certificate renewal mail', () => {
  const failure = (host: string) => ({ host, error: 'connection refused', notAfter: '2026-11-23T10:00:00Z', siteUrl: `https://mutu.example.org/sites/${host}` });

  it('names the failed hosts, their dates the reader’s way', () => {
    const en = renewalMail({ failures: [failure('a.example.org')], imported: [], jobUrl: JOB_URL }, 'en');
    expect(en.subject).toBe('[Mutu] Certificates: 1 renewal failed (a.example.org)');
    expect(en.text).toContain('a.example.org (current certificate valid until 2026-11-23)\n  why: connection refused\n  site: https://mutu.example.org/sites/a.example.org');
    const fr = renewalMail({ failures: ['a', 'b', 'c', 'd'].map((h) => failure(`${h}.example.org`)), imported: [{ host: 'e.example.org', notAfter: '2026-12-01T00:00:00Z' }], jobUrl: JOB_URL }, 'fr');
    expect(fr.subject).toBe(`[Mutu] Certificats${NBSP}: 4 renouvellements ont échoué (a.example.org, b.example.org, c.example.org…)`);
    expect(fr.text).toContain('Le renouvellement de 4 certificats a échoué.');
    expect(fr.text).toContain('a.example.org (certificat actuel valable jusqu’au 23/11/2026)');
    expect(fr.text).toContain(`e.example.org${NBSP}: valable jusqu’au 01/12/2026`);
    expect(fr.text.trimEnd().endsWith(`Journal de la tâche${NBSP}: ${JOB_URL}`)).toBe(true);
  });

  it("says Mutu's part of the reason in the reader's language, the CA's words as it said them", () => {
    const err = translatedError((m) => new AcmeError(m), 'serviceErrors.acmeNotIssued', { ca: phrase('serviceErrors.acmeTheDirectory'), reason: 'urn:ietf:params:acme:error:connection' });
    const words = reasonOf(err);
    const withWords = { ...failure('a.example.org'), error: err.message, errorWords: typeof words === 'object' ? words : undefined };
    expect(renewalMail({ failures: [withWords], imported: [], jobUrl: JOB_URL }, 'en').text).toContain('  why: the ACME directory did not issue the certificate: urn:ietf:params:acme:error:connection');
    expect(renewalMail({ failures: [withWords], imported: [], jobUrl: JOB_URL }, 'fr').text).toContain(`l’annuaire ACME n’a pas délivré le certificat${NBSP}: urn:ietf:params:acme:error:connection`);
    // A failure recorded without words (a tool's own message) is said as it is.
    expect(renewalMail({ failures: [failure('a.example.org')], imported: [], jobUrl: JOB_URL }, 'fr').text).toContain('connection refused');
  });

  it('of imported certificates only, says so', () => {
    expect(renewalMail({ failures: [], imported: [{ host: 'e.example.org', notAfter: '2026-12-01T00:00:00Z' }], jobUrl: JOB_URL }, 'en').subject).toBe('[Mutu] Certificates: 1 imported certificate to replace');
  });
});

describe('byLocale', () => {
  it('groups the recipients of one language into one mail, in order of first appearance', () => {
    expect(byLocale([{ email: 'a@x.org', locale: 'fr' }, { email: 'b@x.org', locale: 'en' }, { email: 'c@x.org', locale: 'fr' }])).toEqual([
      { locale: 'fr', to: ['a@x.org', 'c@x.org'] },
      { locale: 'en', to: ['b@x.org'] },
    ]);
    expect(byLocale([])).toEqual([]);
  });
});
