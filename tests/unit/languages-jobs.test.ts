import { describe, expect, it } from 'vitest';
import { formatWorkerLine, parseWorkerLine } from '@/lib/domain/job-log-lines';
import { assertSafePath, type FrontError } from '@/lib/domain/front';
import { localizedError, reasonOf, tell } from '@/lib/i18n/errors';
import { CANCELLED, errorWordsIn, jobFailure } from '@/lib/jobs/job-error';
import { describeOutcome } from '@/lib/front/apply';
import { siteEventMail } from '@/lib/texts/admin-mails';
import fr from '@/messages/fr.json';
import { jobWords } from '@/lib/i18n/job-words';
import { healthLine, judgeProbe } from '@/lib/domain/health';
import { catalogueTranslator } from '@/lib/i18n/messages';
import { otherFolder, otherSite, planDatabaseRemoval, type OtherUse, type SiteDbFacts } from '@/lib/domain/db-removal';

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

/** A job's words as a French page says them (the hook's pure part, with the catalogue's translator). */
const frenchJob = () => {
  const t = catalogueTranslator('fr');
  const has = (key: string) => key.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), fr) !== undefined;
  return jobWords(t, has);
};

describe("what destroying a site keeps, in the reader's language", () => {
  const own: SiteDbFacts = { database: 'mu_a', user: 'mu_a', tablePrefix: 'spip', shared: false, createdByMutu: true };
  const use = (who: string, o: Partial<OtherUse>): OtherUse => ({ who, database: 'mu_x', user: 'mu_x', tablePrefix: 'spip', ...o });

  it('words each "kept" line, the others and places inside it too, the English unchanged', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((h) => use(otherSite(`${h}.org`), { user: 'mu_a' }));
    const lines = [
      ...planDatabaseRemoval({ ...own, createdByMutu: false }, [], { dropAdopted: false, userReach: [] }).kept,
      ...planDatabaseRemoval(own, many, { dropAdopted: false, userReach: [] }).kept,
      ...planDatabaseRemoval(own, [use(otherFolder('/f/c.org'), { database: 'mu_a', user: 'mu_c' })], { dropAdopted: false, userReach: ['mu_a', 'mu_b', '*'] }).kept,
    ].map((what) => formatWorkerLine('kept', { what }));
    expect(lines).toEqual([
      'kept the database mu_a and the user mu_a: Mutu did not make them (the site was adopted); to drop them too, destroy it with --drop-database (or tick "also drop its database" on its page)',
      'kept the user mu_a: the site a.org, the site b.org, the site c.org and 2 more uses it too',
      'kept the database mu_a: the folder /f/c.org (not registered) uses it too',
      'kept the user mu_a: it still has rights or objects in mu_a, mu_b, the whole server',
    ]);
    const { line } = frenchJob();
    expect(lines.map((l) => plain(line(l)))).toEqual([
      'gardé : la base mu_a et l’utilisateur mu_a : Mutu ne les a pas créés (le site a été adopté) ; pour les supprimer aussi, détruisez-le avec --drop-database (ou cochez « Supprimer aussi sa base » sur sa page)',
      'gardé : l’utilisateur mu_a : également utilisé par le site a.org, le site b.org, le site c.org et 2 autres',
      'gardé : la base mu_a : également utilisée par le dossier /f/c.org (non enregistré)',
      'gardé : l’utilisateur mu_a : il a encore des droits ou des objets dans mu_a, mu_b, tout le serveur',
    ]);
  });
});

describe("an import's lines, in the reader's language", () => {
  it('are written from the table and worded again, numbers with the reader’s plurals', () => {
    const lines = [
      formatWorkerLine('importVerified', { host: 'old.example.org', created: '2026-11-30T10:00:00.000Z', engine: 'mysql', format: 'tar.gz' }),
      formatWorkerLine('importPrefixShared', { prefix: 'spip' }),
      formatWorkerLine('importNoPrefix'),
      formatWorkerLine('importUploads', { folder: 'IMG', count: '1', nFolders: '3', bytes: '2.0 MiB' }),
      formatWorkerLine('importNoPostImport', { platform: 'spip-4.2', host: 'old.example.org' }),
    ];
    expect(lines[1]).toBe('table prefix: spip_ (exported from a shared database, now in its own)');
    expect(lines[3]).toBe('IMG/ restored: 1 files in 3 folders (2.0 MiB)');
    const { line, progress } = frenchJob();
    expect(lines.map((l) => plain(line(l)))).toEqual([
      'export de old.example.org fait le 2026-11-30T10:00:00.000Z (mysql, tar.gz) : manifeste et sommes de contrôle vérifiés',
      'préfixe des tables : spip_ (exporté d’une base partagée, désormais dans la sienne)',
      'préfixe des tables : (aucun)',
      'IMG/ restauré : 1 fichier dans 3 dossiers (2.0 MiB)',
      'spip-4.2 n’a pas de commande d’après import : l’application peut encore nommer old.example.org dans ses réglages',
    ]);
    expect(plain(progress(formatWorkerLine('progressUnpacking', { folder: 'IMG', bytes: '5 MiB' })))).toBe('décompression de IMG/ : 5 MiB');
  });
});

describe("a site's health, in the reader's language", () => {
  const HOST = 'a.example.org';
  const at = (path: string, code: number, location?: string) => ({ url: `http://${HOST}${path}`, code, location: location ?? null });

  it('words the line of a site that is not up and what its probe saw, the English unchanged', () => {
    const install = judgeProbe({ host: HOST, profile: 'spip', healthPath: false, answers: [at('/', 302, `http://${HOST}/ecrire/?exec=install`), at('/ecrire/?exec=install', 200)] });
    const erring = judgeProbe({ host: HOST, profile: 'spip', healthPath: false, answers: [at('/', 503)], databaseEmpty: true });
    const down = judgeProbe({ host: HOST, profile: 'spip', healthPath: false, answers: [], noAnswer: 'no answer within 3 s' });
    const lines = [install, erring, down].map((r) => healthLine(HOST, r));
    expect(lines).toEqual([
      'a.example.org: needs-install (302): redirects to /ecrire/?exec=install (the installer)',
      'a.example.org: needs-install (503): answers 503; its database holds none of its tables',
      'a.example.org: down: no answer within 3 s',
    ]);
    const { line } = frenchJob();
    expect(lines.map((l) => plain(line(l)))).toEqual([
      'a.example.org : à installer (302) : redirige vers /ecrire/?exec=install (l’installateur)',
      'a.example.org : à installer (503) : répond 503 ; sa base ne contient aucune de ses tables',
      'a.example.org : hors ligne : pas de réponse en 3 s',
    ]);
    // the detail alone, as the site's page and its badge show it
    expect(plain(line(install.detail!))).toBe('redirige vers /ecrire/?exec=install (l’installateur)');
    // a tool's own words inside stay as they are
    expect(plain(line('a.example.org: down: connect ECONNREFUSED 127.0.0.1:80'))).toBe('a.example.org : hors ligne : connect ECONNREFUSED 127.0.0.1:80');
  });
});
