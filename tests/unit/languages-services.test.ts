import { describe, expect, it } from 'vitest';
import { formatWorkerLine, parseWorkerLine, WORKER_LINES, type WorkerLine } from '@/lib/domain/job-log-lines';
import { HostError, siteHosts } from '@/lib/domain/host';
import { parseServerUrl } from '@/lib/domain/server';
import { localizedError, rewordedError, say, translatedError } from '@/lib/i18n/errors';
import { PlatformError } from '@/lib/platforms/service';
import { SiteError } from '@/lib/sites/errors';

/*
 * The services' refusals keep the English the command line prints, and carry their catalogue
 * key so a page says them in French; the worker's log lines are recognised to be worded again.
 */

const refusal = (run: () => unknown): Error => {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
};

describe('service refusals in two languages', () => {
  it('words a host the rules refuse in English for the CLI and in French for a page, even once told as a SiteError', () => {
    const err = refusal(() => siteHosts('mon site.example.org')) as HostError;
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toBe('"mon site.example.org" is not a valid site host: it contains spaces');
    const told = rewordedError(err, (m) => new SiteError(m, 422));
    expect(told.message).toBe(err.message);
    expect(localizedError(told, 'fr').message).toBe('«\u00a0mon site.example.org\u00a0» n’est pas un hôte de site valable\u00a0: il contient des espaces');
    expect(localizedError(told, 'en').message).toBe(err.message);
  });

  it('keeps the values of a refusal (a label, a length) in both languages', () => {
    const err = refusal(() => siteHosts('a_b.example.org')) as HostError;
    expect(err.message).toBe('"a_b.example.org" is not a valid site host: the label "a_b" may hold only letters, digits and inner hyphens');
    expect(localizedError(err, 'fr').message).toContain('le segment «\u00a0a_b\u00a0»');
  });

  it('says a platform in use with its sites, the English one unchanged', () => {
    const err = translatedError((m) => new PlatformError(m, 409), 'serviceErrors.platformInUse', { name: 'spip-4', count: 5, hosts: 'a.org, b.org, c.org', more: 2 });
    expect(err.message).toBe('spip-4 still runs 5 site(s) (a.org, b.org, c.org and 2 more): upgrade them to another platform first (mutu upgrade --match ... --to ...)');
    expect(localizedError(err, 'fr').message).toBe('spip-4 fait encore tourner 5 sites (a.org, b.org, c.org et 2 autres)\u00a0: mettez-les d’abord à jour vers une autre plateforme (mutu upgrade --match ... --to ...)');
    const one = translatedError((m) => new PlatformError(m, 409), 'serviceErrors.platformInUse', { name: 'spip-4', count: 1, hosts: 'a.org', more: 0 });
    expect(one.message).toBe('spip-4 still runs 1 site(s) (a.org): upgrade them to another platform first (mutu upgrade --match ... --to ...)');
    expect(localizedError(one, 'fr').message).toMatch(/^spip-4 fait encore tourner 1 site \(a\.org\)\u00a0:/);
  });

  it('words a bad server URL refused by the pure rules', () => {
    const err = refusal(() => parseServerUrl('mysql', 'mysql://root:secret@db.example.org'));
    expect(err.message).toBe('leave the password out of the URL: give it on standard input (--password-stdin) or in the form');
    expect(localizedError(err, 'fr').message).toMatch(/^ne mettez pas le mot de passe dans l’URL/);
  });

  it('leaves a refusal that is not from the catalogue as it is', () => {
    const err = new SiteError('something only English knows', 409);
    expect(localizedError(err, 'fr').message).toBe('something only English knows');
    expect(say('fr', 'deadLink')).toMatch(/^Ce lien ne fonctionne plus/);
  });
});

describe("the worker's own log lines", () => {
  it('are read back from what the log stores, with their values', () => {
    const values = { worker: 'w-1', node: 'web1', step: 'switch platform', attempt: '2', reason: 'the disk is full: "/" has 1% left' };
    for (const line of Object.keys(WORKER_LINES) as WorkerLine[]) {
      const stored = formatWorkerLine(line, values);
      const parsed = parseWorkerLine(stored);
      expect(parsed?.line, stored).toBe(line);
      expect(formatWorkerLine(parsed!.line, parsed!.values)).toBe(stored);
    }
    expect(formatWorkerLine('undoFailed', { step: 'folders', reason: 'EACCES' })).toBe('undo of "folders" failed: EACCES');
  });

  it("leave a step's own lines alone", () => {
    expect(parseWorkerLine('installing the application')).toBeNull();
    expect(parseWorkerLine('succeeded in 3 s')).toBeNull();
  });
});
