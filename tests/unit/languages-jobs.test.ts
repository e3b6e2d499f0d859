import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatWorkerLine, parseWorkerLine } from '@/lib/domain/job-log-lines';
import { assertSafePath, type FrontError } from '@/lib/domain/front';
import { localizedError, reasonOf, tell, translatedError } from '@/lib/i18n/errors';
import { formatBytes, parseBytes } from '@/lib/domain/format';
import { PROFILES } from '@/lib/domain/profiles';
import { secretFilesToRestore } from '@/lib/domain/secret-files';
import { ImportError, readExportSource } from '@/lib/imports/source';
import { safeRelativePath } from '@/lib/imports/tar-reader';
import { COMMAND_LABEL } from '@/lib/platforms/run-command';
import { healthFailure } from '@/lib/upgrades/steps';
import { CANCELLED, causeOf, errorWordsIn, jobFailure, quoting, type JobErrorWords } from '@/lib/jobs/job-error';
import { describeOutcome } from '@/lib/front/apply';
import { siteEventMail } from '@/lib/texts/admin-mails';
import fr from '@/messages/fr.json';
import { jobWords } from '@/lib/i18n/job-words';
import { healthLine, judgeProbe } from '@/lib/domain/health';
import { catalogueTranslator } from '@/lib/i18n/messages';
import { otherFolder, otherSite, planDatabaseRemoval, type OtherUse, type SiteDbFacts } from '@/lib/domain/db-removal';
import { refusalOf } from '../helpers/refusal';

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
const frenchJob = (quoted: JobErrorWords['quoted'] = []) => {
  const t = catalogueTranslator('fr');
  const has = (key: string) => key.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), fr) !== undefined;
  return jobWords(t, has, quoted, 'fr');
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
      'export de old.example.org fait le 30/11/2026 10:00 UTC (mysql, tar.gz) : manifeste et sommes de contrôle vérifiés',
      'préfixe des tables : spip_ (exporté d’une base partagée, désormais dans la sienne)',
      'préfixe des tables : (aucun)',
      'IMG/ restauré : 1 fichier dans 3 dossiers (2,0 Mio)',
      'spip-4.2 n’a pas de commande d’après import : l’application peut encore nommer old.example.org dans ses réglages',
    ]);
    expect(plain(progress(formatWorkerLine('progressUnpacking', { folder: 'IMG', bytes: '5.0 MiB' })))).toBe('décompression de IMG/ : 5,0 Mio');
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

const inFrench = (err: Error) => plain(localizedError(err, 'fr').message);

describe("an import's refusals of its export, in the reader's language", () => {
  it('says what is wrong with the folder, the archive and its secret files in French, the English unchanged', () => {
    const missing = path.join(os.tmpdir(), 'mutu-no-such-export');
    const source = refusalOf(() => readExportSource(missing));
    expect(source).toBeInstanceOf(ImportError);
    expect(source.message).toBe(`${missing} does not exist: give the folder of an export, or its manifest file`);
    expect(inFrench(source)).toBe(`${missing} n’existe pas : donnez le dossier d’un export, ou son fichier manifeste`);

    const secret = refusalOf(() => secretFilesToRestore(PROFILES.spip, ['config/connect.php']));
    expect(secret.message).toBe('the export lists "config/connect.php" as a secret file, and a spip site has no such file (config/cles.php): the export was altered or is not of this application');
    expect(inFrench(secret)).toBe('l’export liste « config/connect.php » comme fichier secret, et un site spip n’a pas ce fichier (config/cles.php) : l’export a été modifié ou n’est pas de cette application');

    const entry = refusalOf(() => safeRelativePath('IMG/../../etc/passwd', 'IMG'));
    expect(entry.message).toBe('refused "IMG/../../etc/passwd": ".." would leave the site\'s folder');
    expect(inFrench(entry)).toBe('« IMG/../../etc/passwd » refusé : « .. » sortirait du dossier du site');

    // The import's job failing on one: its error and its "failed: …" line, in French.
    const failure = jobFailure(causeOf(entry));
    expect(plain(tell('fr', failure.words!.words))).toBe(inFrench(entry));
    expect(plain(frenchJob(failure.words!.quoted).line(formatWorkerLine('failed', { reason: entry.message })))).toBe(`échec : ${inFrench(entry)}`);
  });
});

describe("an export's left-out lines, in the reader's language", () => {
  it('words a secret file left out and what the uploads archive left out, the English as the log always had it', () => {
    const leftOut = formatWorkerLine('leftOutSymlink', { path: 'config/cles.php' });
    expect(leftOut).toBe("config/cles.php is a symbolic link: left out of the export (only the site's own regular files are taken)");
    const skipped = formatWorkerLine('linksLeftOut', { skipped: [formatWorkerLine('skippedSymlinks', { count: '2' }), formatWorkerLine('skippedHardLink')].join(', ') });
    expect(skipped).toBe('left out of the archive: 2 symlinks, 1 hard link (links are never followed or kept; see the export docs)');
    const { line } = frenchJob();
    expect(plain(line(leftOut))).toBe('config/cles.php est un lien symbolique : laissé hors de l’export (seuls les fichiers ordinaires du site lui-même sont pris)');
    expect(plain(line(formatWorkerLine('leftOutOutside', { path: 'config/cles.php' })))).toMatch(/^config\/cles\.php mène hors du site \(un lien en chemin\) : laissé hors de l’export/);
    expect(plain(line(skipped))).toBe('laissé hors de l’archive : 2 liens symboliques, 1 lien physique (les liens ne sont jamais suivis ni gardés ; voir la documentation des exports)');
  });
});

describe("the shared account's lines, an upgrade's leftover processes and its commands, in the reader's language", () => {
  it('words them, the English unchanged', () => {
    const { line } = frenchJob();
    const reset = formatWorkerLine('sharedPasswordReset', { user: 'mu_shared', server: 'maria1' });
    expect(reset).toBe("the shared account mu_shared exists on maria1 with a password the registry does not hold: it gets the registry's");
    expect(plain(line(reset))).toBe('le compte partagé mu_shared existe sur maria1 avec un mot de passe que le registre n’a pas : il reçoit celui du registre');
    expect(plain(line(formatWorkerLine('sharedPasswordReused', { user: 'mu_shared', server: 'maria2' })))).toBe('le compte partagé mu_shared est aussi celui de maria2 : son mot de passe est repris');
    expect(plain(line(formatWorkerLine('sharedConnectionFiles', { list: 'a.org, b.org' })))).toBe('fichiers de connexion réécrits avec le mot de passe du compte partagé : a.org, b.org');

    const killed = formatWorkerLine('leftoversKilled', { count: '2', group: '4242' });
    expect(killed).toBe('killed 2 process(es) left by the interrupted upgrade command (group 4242)');
    expect(plain(line(killed))).toBe('2 processus laissés par la commande de mise à jour interrompue ont été tués (groupe 4242)');
    expect(plain(line(formatWorkerLine('leftoversUnreaped')))).toMatch(/^la commande de mise à jour interrompue est morte, mais des processus de son groupe sont encore là/);
    const alive = translatedError((m) => new Error(m), 'serviceErrors.leftoversAlive', { group: '4242' });
    expect(alive.message).toBe("the upgrade command's processes (group 4242) would not die: restore the site once they are gone");
    expect(inFrench(alive)).toBe('les processus de la commande de mise à jour (groupe 4242) ne meurent pas : restaurez le site une fois qu’ils ont disparu');

    const running = formatWorkerLine('commandRunningAs', { what: COMMAND_LABEL.upgrade, args: 'php upgrade.php', dir: '/srv/farm/sites/a.org', user: 'mu-a', count: '900' });
    expect(running).toBe('running the upgrade command: php upgrade.php (in /srv/farm/sites/a.org, as mu-a, time limit 900 s)');
    expect(plain(line(running))).toBe('exécution de la commande de mise à jour : php upgrade.php (dans /srv/farm/sites/a.org, en tant que mu-a, limite de temps 900 s)');
    expect(plain(line(formatWorkerLine('commandUnreaped', { what: COMMAND_LABEL.purge })))).toMatch(/^après le vidage des caches, des processus de son groupe sont encore là/);
  });
});

describe("a job over many sites quotes each site's reason: its page says them in the reader's language", () => {
  it("words the renewal's per-host reason and the backups', kept with the job's error words", () => {
    const acme = translatedError((m) => new Error(m), 'serviceErrors.acmeNotIssued', { ca: 'https://acme.example/dir', reason: 'rateLimited' });
    const tool = new Error('connect ECONNREFUSED 10.0.0.1:443');
    const renewal = quoting(translatedError((m) => new Error(m), 'serviceErrors.renewalFailed', { count: 2, hosts: 'a.org, b.org' }), [
      { text: acme.message, words: reasonOf(acme) },
      { text: tool.message, words: reasonOf(tool) },
    ]);
    const failure = jobFailure(causeOf(renewal));
    expect(failure.text).toBe('renewal failed for 2 certificates: a.org, b.org');
    // the error itself, then the refusal its log quoted; a tool's words add nothing
    expect(failure.words!.quoted.map((q) => q.text)).toEqual([failure.text, acme.message]);
    const logged = formatWorkerLine('renewFailed', { host: 'a.org', date: '2026-12-01', reason: acme.message });
    expect(logged).toBe('a.org: renewal failed, its certificate (until 2026-12-01) keeps serving: https://acme.example/dir did not issue the certificate: rateLimited');
    const { line } = frenchJob(failure.words!.quoted);
    expect(plain(line(logged))).toBe('a.org : le renouvellement a échoué, son certificat (jusqu’au 01/12/2026) reste servi : https://acme.example/dir n’a pas délivré le certificat : rateLimited');
    // a tool's own words stay as they are
    expect(plain(line(formatWorkerLine('renewFailed', { host: 'b.org', date: '2026-12-01', reason: tool.message })))).toMatch(/reste servi : connect ECONNREFUSED 10\.0\.0\.1:443$/);

    const backups = quoting(translatedError((m) => new Error(m), 'serviceErrors.backupsFailed', { count: 1, hosts: 'a.org' }), [{ text: acme.message, words: reasonOf(acme) }]);
    expect(backups.message).toBe('backup failed for 1 site: a.org');
    expect(inFrench(backups)).toBe('la sauvegarde a échoué pour 1 site : a.org');
  });
});

describe("an upgrade's health check, in the reader's language", () => {
  it('says the failed check as the job error, the English as the log always had it', () => {
    const url = 'http://a.example.org/mutu-health.php';
    const install = healthFailure(url, { status: 'needs-install', code: 302, detail: 'redirects to /ecrire/?exec=install (the installer)' });
    expect(install.message).toBe(`health check: ${url}: needs-install (302), redirects to /ecrire/?exec=install (the installer)`);
    expect(inFrench(install)).toBe(`contrôle de santé : ${url} : à installer (302), redirige vers /ecrire/?exec=install (l’installateur)`);
    const erring = healthFailure(url, { status: 'error', code: 500, detail: 'answers 500' });
    expect(erring.message).toBe(`health check: ${url}: error (500), answers 500`);
    expect(inFrench(erring)).toBe(`contrôle de santé : ${url} : en erreur (500), répond 500`);
    const down = healthFailure(url, { status: 'down', code: null, detail: 'no answer within 3 s' });
    expect(down.message).toBe(`health check: ${url}: down, no answer within 3 s`);
    expect(inFrench(down)).toBe(`contrôle de santé : ${url} : hors ligne, pas de réponse en 3 s`);
    // the job's "failed: …" line quoting it
    const failure = jobFailure(causeOf(install));
    expect(plain(frenchJob(failure.words!.quoted).line(formatWorkerLine('failed', { reason: install.message })))).toBe(`échec : ${inFrench(install)}`);
    const up = formatWorkerLine('healthSeenUp', { url, nCode: '200', ms: '12' });
    expect(up).toBe(`health check: ${url}: up (200), in 12 ms`);
    expect(plain(frenchJob().line(up))).toBe(`contrôle de santé : ${url} : en ligne (200), en 12 ms`);
  });
});

describe("sizes and dates inside log lines, in the reader's units", () => {
  it('reads the English size back and says it the French way ("2,0 Mio"), the English kept', () => {
    expect(parseBytes('2.0 MiB')).toBe(2 * 1024 * 1024);
    expect(parseBytes('512 B')).toBe(512);
    expect(parseBytes('a lot')).toBeNull();
    for (const n of [0, 1000, 1536, 1023.95 * 1024, 5 * 1024 ** 3]) expect(formatBytes(parseBytes(formatBytes(n)), 'fr')).toBe(formatBytes(n, 'fr'));
    const archived = formatWorkerLine('archived', { file: 'a-img.tar.gz', count: '3', nFolders: '1', bytes: formatBytes(2 * 1024 * 1024), size: formatBytes(512), sha: 'abc' });
    expect(archived).toBe('a-img.tar.gz: 3 files in 1 folders (2.0 MiB), 512 B compressed, sha256 abc');
    const { line } = frenchJob();
    expect(plain(line(archived))).toBe('a-img.tar.gz : 3 fichiers dans 1 dossier (2,0 Mio), 512 o compressé, sha256 abc');
    const preflight = formatWorkerLine('preflight', { host: 'a.org', from: 'spip-4.1', to: 'spip-4.2', dbSize: '1.5 KiB', free: '20.0 GiB', size: '3.2 MiB' });
    expect(plain(line(preflight))).toBe('vérification préalable : a.org sur spip-4.1 -> spip-4.2 ; base joignable (1,5 Kio) ; 20,0 Gio libres pour un instantané d’environ 3,2 Mio');
    expect(plain(line(formatWorkerLine('snapshotTaken', { path: '/srv/s/1', size: '3.2 MiB', date: '2026-12-31' })))).toBe('instantané pris : /srv/s/1 (3,2 Mio, gardé jusqu’au 31/12/2026)');
  });
});

describe("an upgrade's own checks and other jobs' refusals, in the reader's language", () => {
  it('words them, the English unchanged', () => {
    const status = translatedError((m) => new Error(m), 'serviceErrors.changeWrongStatus', { host: 'a.org', status: 'trashed', failedToo: 'no' });
    expect(status.message).toBe('a.org is trashed; only active or disabled sites can be changed');
    expect(inFrench(status)).toBe('a.org est à la corbeille ; seuls les sites actifs ou désactivés peuvent être changés');
    const folder = translatedError((m) => new Error(m), 'serviceErrors.folderExists', { dir: '/srv/farm/sites/a.org' });
    expect(folder.message).toBe('the folder /srv/farm/sites/a.org already exists and belongs to no site: adopt it with `mutu sites scan`, or move it away');
    expect(inFrench(folder)).toBe('le dossier /srv/farm/sites/a.org existe déjà et n’appartient à aucun site : adoptez-le avec `mutu sites scan`, ou déplacez-le');
    const timedOut = translatedError((m) => new Error(m), 'serviceErrors.commandTimedOut', { command: 'upgrade', seconds: '2' });
    expect(timedOut.message).toBe('the upgrade command still running after 2 s: killed with its process group (MUTU_UPGRADE_TIMEOUT_SECONDS)');
    expect(inFrench(timedOut)).toBe('la commande de mise à jour tournait encore après 2 s : arrêt forcé avec son groupe de processus (MUTU_UPGRADE_TIMEOUT_SECONDS)');
    const notFound = translatedError((m) => new Error(m), 'serviceErrors.commandNotFound', { command: '/srv/spip/upgrade.sh' });
    expect(notFound.message).toBe('/srv/spip/upgrade.sh was not found (is the platform installed? check its commands with `mutu platforms list`)');
    expect(inFrench(notFound)).toBe('/srv/spip/upgrade.sh est introuvable (la plateforme est-elle installée ? vérifiez ses commandes avec `mutu platforms list`)');
    const { line } = frenchJob();
    expect(plain(line(formatWorkerLine('certForAlias', { alias: 'www.a.org' })))).toBe('www.a.org a été ajouté : un certificat qui le couvre aussi');
    expect(plain(line(formatWorkerLine('moreLinesNotLogged', { count: '12' })))).toBe('(12 lignes de plus non journalisées)');
    const measured = `a.org: ${formatWorkerLine('measureNoFolder', { dir: '/srv/farm/sites/a.org' })}`;
    expect(plain(line(measured))).toBe('a.org: son dossier /srv/farm/sites/a.org manque (voir mutu sites scan) ; la dernière mesure est gardée');
  });
});
