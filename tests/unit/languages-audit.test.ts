import { describe, expect, it } from 'vitest';
import { auditDetailWords } from '@/lib/audit/details-words';
import { formatWorkerLine } from '@/lib/domain/job-log-lines';
import { catalogueTranslator, messagesFor } from '@/lib/i18n/messages';
import { jobFailure } from '@/lib/jobs/job-error';
import type { Locale } from '@/lib/domain/locale';
import { reasonOf, translatedError } from '@/lib/i18n/errors';

/*
 * The audit trail's details as a reader reads them: keys named, yes and no, roles, dates and
 * numbers, the fixed reasons, what a destroy kept and a failed job's error in the reader's
 * language; the stored values themselves are not touched.
 */
const has = (locale: Locale) => (key: string) =>
  key.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), messagesFor(locale)) !== undefined;
const read = (details: Record<string, unknown>, locale: Locale, more = {}) =>
  auditDetailWords(details, { t: catalogueTranslator(locale), has: has(locale), locale, ...more }).map((d) => `${d.label}: ${d.text}`.replace(/\u00a0/g, ' '));

describe("the audit trail's details", () => {
  it('are said in French: keys, yes and no, roles, dates, numbers and fixed reasons', () => {
    const details = { email: 'ann@example.org', from: 'webmaster', to: 'admin', newAccount: true, uses: 1200, expiresAt: '2026-12-24T10:30:00.000Z', reason: 'wrong email or password', colour: 'red' };
    const before = JSON.stringify(details);
    expect(read(details, 'fr')).toEqual([
      'e-mail: ann@example.org',
      'de: Webmestre',
      'vers: Administrateur',
      'nouveau compte: oui',
      `utilisations: ${new Intl.NumberFormat('fr-FR').format(1200)}`,
      'expire: 24/12/2026 10:30 UTC',
      'raison: e-mail ou mot de passe erroné',
      // a key the catalogue does not know is shown as it is
      'colour: red',
    ]);
    expect(read(details, 'en')).toContain('uses: 1,200');
    expect(JSON.stringify(details)).toBe(before);
  });

  it("word what a destroy kept and a failed job's error from its words", () => {
    const kept = [formatWorkerLine('keptDbUsed', { database: 'mu_a', others: formatWorkerLine('phraseSite', { host: 'b.example.org' }) })];
    expect(read({ dropDatabase: false, kept }, 'fr')).toEqual(['supprimer sa base: non', 'gardé: la base mu_a : également utilisée par le site b.example.org']);
    const err = translatedError((m) => new Error(m), 'serviceErrors.jobParamsInvalid', { issues: 'dir: bad' });
    const failure = jobFailure({ text: err.message, words: reasonOf(err) });
    expect(read({ error: failure.text }, 'fr', { errorWords: failure.words })).toEqual(['erreur: paramètres de tâche invalides : dir: bad']);
    // without words (a tool's error), as it was recorded
    expect(read({ error: 'mysqldump: error 2002' }, 'fr')).toEqual(['erreur: mysqldump: error 2002']);
  });
});
