import { describe, expect, it } from 'vitest';
import { formatWorkerLine, parseWorkerLine } from '@/lib/domain/job-log-lines';
import { assertSafePath, type FrontError } from '@/lib/domain/front';
import { localizedError, reasonOf, tell } from '@/lib/i18n/errors';
import { CANCELLED, errorWordsIn, jobFailure } from '@/lib/jobs/job-error';
import { describeOutcome } from '@/lib/front/apply';
import { siteEventMail } from '@/lib/texts/admin-mails';
import fr from '@/messages/fr.json';

/*
 * What a French admin reads of a job: its error (Mutu's refusal in French, a tool's words as
 * they are, the English Job.error unchanged) and its rarer log lines; the front's refusals.
 */

const refusal = (): FrontError => {
  try {
    assertSafePath('/srv/a b', 'platform');
  } catch (err) {
    return err as FrontError;
  }
  throw new Error('expected a refusal');
};
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe("a job's error", () => {
  it('keeps no words when nothing in it is Mutu’s own', () => {
    expect(jobFailure({ text: 'EACCES', words: 'EACCES' })).toEqual({ text: 'EACCES', words: null });
  });

  it('keeps the words of a refusal, quoted by its English, and the cancelled word', () => {
    const err = refusal();
    const failure = jobFailure({ text: err.message, words: reasonOf(err) });
    expect(failure.text).toBe('the platform folder "/srv/a b" cannot go into the front\'s configuration: use a path of letters, digits and . _ - / only');
    expect(plain(tell('fr', failure.words!.words))).toBe('le dossier de la plateforme « /srv/a b » ne peut pas entrer dans la configuration du frontal : utilisez un chemin fait de lettres, de chiffres et de . _ - / seulement');
    expect(failure.words!.quoted).toEqual([{ text: failure.text, words: failure.words!.words }]);
    expect(CANCELLED.text).toBe('cancelled');
    expect(tell('fr', jobFailure(CANCELLED).words!.words)).toBe('annulée');
  });

  it('words an undo that failed, the English as the worker always wrote it, a step name from the catalogue', () => {
    const failure = jobFailure({ text: 'disk full', words: 'disk full' }, { step: 'switch platform', text: 'EACCES', words: 'EACCES' });
    expect(failure.text).toBe('disk full; then undo failed: switch platform: EACCES (needs an admin)');
    expect(plain(tell('fr', failure.words!.words))).toBe('disk full ; puis l’annulation a échoué : changement de plateforme : EACCES (un admin doit intervenir)');
    expect(failure.words!.quoted).toEqual([]);
  });

  it('reads its words back from the state, as text or as an object, and nothing from a state without them', () => {
    const { words } = jobFailure({ text: refusal().message, words: reasonOf(refusal()) });
    const state = { other: 1, _errorWords: words };
    expect(errorWordsIn(JSON.stringify(state))).toEqual(words);
    expect(errorWordsIn(state)).toEqual(words);
    expect(errorWordsIn('{}')).toBeNull();
    expect(errorWordsIn('not json')).toBeNull();
    expect(errorWordsIn({ _errorWords: { words: 'x' } })).toBeNull();
  });

  it("is said in the admins' mail in each reader's language", () => {
    const words = reasonOf(refusal());
    expect(plain(siteEventMail('failed', { host: 'a.example.org', error: words }, 'fr').text)).toContain('le dossier de la plateforme « /srv/a b »');
    expect(siteEventMail('failed', { host: 'a.example.org', error: words }, 'en').text).toContain('the platform folder "/srv/a b"');
    expect(siteEventMail('failed', { host: 'a.example.org', error: 'mysqldump: error 2002' }, 'fr').text).toContain('mysqldump: error 2002');
  });
});

describe("the front's refusals and lines", () => {
  it('says a refusal in French on a page, the English unchanged', () => {
    const err = refusal();
    expect(plain(localizedError(err, 'fr').message)).toMatch(/^le dossier de la plateforme « \/srv\/a b » ne peut pas entrer/);
  });

  it('writes its outcome lines as before, each recognised to be worded again', () => {
    const lines = [
      describeOutcome({ frontSetUp: false, changed: [], reloaded: [] }),
      describeOutcome({ frontSetUp: true, changed: [], reloaded: [] }),
      describeOutcome({ frontSetUp: true, changed: [], reloaded: ['nginx'] }),
      describeOutcome({ frontSetUp: true, changed: ['a'], reloaded: ['nginx', 'PHP-FPM 8.2'] }),
      describeOutcome({ frontSetUp: true, changed: ['a', 'b'], reloaded: [] }),
      describeOutcome({ frontSetUp: true, changed: ['a', 'h1', 'h2'], reloaded: ['PHP-FPM 8.2'], hostFiles: 2, hosts: 2 }),
      describeOutcome({ frontSetUp: true, changed: ['h1', 'list'], reloaded: [], hostFiles: 2, hosts: 1 }),
    ].flat();
    expect(lines).toEqual([
      'front: none is set up (mutu front setup), the site is not served yet',
      'front: already up to date',
      'front: files already written by an earlier change that was not reloaded; nginx reloaded',
      'front: 1 file written and checked, nginx and PHP-FPM 8.2 reloaded',
      'front: 2 files written and checked; nginx and PHP-FPM are not running, it applies when they start',
      // the files lookup: a line for what was checked and reloaded, one for the hosts' files
      'front: 1 file written and checked, PHP-FPM 8.2 reloaded',
      'front: 2 host files written (read by nginx at each request: no reload)',
      'front: 1 host file written (read by nginx at each request: no reload)',
    ]);
    expect(lines.map((l) => parseWorkerLine(l)?.line)).toEqual([
      'frontNone',
      'frontUpToDate',
      'frontReloadedOnly',
      'frontWrittenOneReloaded',
      'frontWrittenStopped',
      'frontWrittenOneReloaded',
      'frontHostFiles',
      'frontHostFile',
    ]);
  });

  it('reads numbers back as digits only, for the plurals of the reader, and a folder as an absolute path', () => {
    const line = formatWorkerLine('probed', { count: '1', nUp: '1', nInstall: '0', nError: '0', nDown: '0' });
    expect(line).toBe('probed 1 sites: 1 up, 0 needing install, 0 erring, 0 down');
    expect(parseWorkerLine(line)?.values).toEqual({ count: '1', nUp: '1', nInstall: '0', nError: '0', nDown: '0' });
    expect(parseWorkerLine('removed some challenge answers left over from earlier attempts')).toBeNull();
    expect(parseWorkerLine('removed /srv/farm/sites/a.example.org')?.values).toEqual({ dir: '/srv/farm/sites/a.example.org' });
    expect(fr.jobSteps.lines.probed).toContain('{count, plural,');
  });
});
