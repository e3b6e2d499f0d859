import { describe, expect, it } from 'vitest';
import { formatWorkerLine, isNumberName, parseWorkerLine, WORKER_LINES, type WorkerLine } from '@/lib/domain/job-log-lines';
import { HostError, siteHosts } from '@/lib/domain/host';
import { parseServerUrl } from '@/lib/domain/server';
import { localizedError, phrase, reasonOf, rewordedError, say, tell, translatedError } from '@/lib/i18n/errors';
import { PlatformError } from '@/lib/platforms/service';
import { SiteError } from '@/lib/sites/errors';
import { engineError, engineRefusal } from '@/lib/domain/engines';
import { assertHostMask, assertIdentifier } from '@/lib/domain/db-names';
import { addServerSchema, addServerSchemaIn } from '@/lib/domain/server';
import { assertRedirectUrl } from '@/lib/domain/front';
import { parseChain } from '@/lib/domain/certificates';
import { parseCommandTemplate, type TemplateError } from '@/lib/platforms/command-template';
import en from '@/messages/en.json';
import fr from '@/messages/fr.json';
import { refusalOf } from '../helpers/refusal';

/*
 * The services' refusals keep the English the command line prints, and carry their catalogue
 * key so a page says them in French; the worker's log lines are recognised to be worded again.
 */


describe('service refusals in two languages', () => {
  it('words a host the rules refuse in English for the CLI and in French for a page, even once told as a SiteError', () => {
    const err = refusalOf(() => siteHosts('mon site.example.org')) as HostError;
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toBe('"mon site.example.org" is not a valid site host: it contains spaces');
    const told = rewordedError(err, (m) => new SiteError(m, 422));
    expect(told.message).toBe(err.message);
    expect(localizedError(told, 'fr').message).toBe('«\u00a0mon site.example.org\u00a0» n’est pas un hôte de site valable\u00a0: il contient des espaces');
    expect(localizedError(told, 'en').message).toBe(err.message);
  });

  it('keeps the values of a refusal (a label, a length) in both languages', () => {
    const err = refusalOf(() => siteHosts('a_b.example.org')) as HostError;
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
    const err = refusalOf(() => parseServerUrl('mysql', 'mysql://root:secret@db.example.org'));
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
    const values = {
      worker: 'w-1', node: 'web1', step: 'switch platform', attempt: '2', reason: 'the disk is full: "/" has 1% left',
      host: 'a.example.org', dir: '/srv/farm/sites/a.example.org', folders: 'config, IMG', database: 'mu_a', user: 'mu_a', server: 'maria1',
      engine: 'mysql', prefix: 'a', file: 'config/connect.php', email: 'w@example.org', platform: 'spip-4.2', path: '/srv/spip-4.2',
    };
    for (const line of Object.keys(WORKER_LINES) as WorkerLine[]) {
      // a number placeholder (count, nFailed) holds digits
      const numbers = Object.fromEntries([...WORKER_LINES[line].matchAll(/\{(\w+)\}/g)].filter(([, n]) => isNumberName(n!)).map(([, n]) => [n!, '12']));
      const stored = formatWorkerLine(line, { ...values, ...numbers });
      const parsed = parseWorkerLine(stored);
      expect(parsed?.line, stored).toBe(line);
      expect(formatWorkerLine(parsed!.line, parsed!.values)).toBe(stored);
    }
    expect(formatWorkerLine('undoFailed', { step: 'folders', reason: 'EACCES' })).toBe('undo of "folders" failed: EACCES');
    // A step's frequent lines too, each worded in both languages.
    expect(parseWorkerLine('database mu_a and user mu_a created on maria1 (mysql)')?.line).toBe('databaseUserCreated');
    for (const line of Object.keys(WORKER_LINES)) expect(fr.jobSteps.lines[line as WorkerLine], line).not.toBe(en.jobSteps.lines[line as WorkerLine]);
  });

  it("leave a step's own lines alone", () => {
    expect(parseWorkerLine('installing the application, step 2')).toBeNull();
    expect(parseWorkerLine('3 sites backed up, a few failed')).toBeNull();
    expect(parseWorkerLine('succeeded in 3 s')).toBeNull();
  });
});

/** The French of a refusal, with plain spaces for the typography's non-breaking ones. */
const inFrench = (err: Error) => localizedError(err, 'fr').message.replace(/\u00a0/g, ' ');

describe("Mutu's own refusals of engines, commands, names, certificates and addresses in two languages", () => {
  it('words an engine refusal, its reason alone and the one with no server registered, the English unchanged', () => {
    const refusal = engineRefusal('spip', 'postgresql')!;
    const err = engineError(refusal);
    expect(err.message).toBe('SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver): choose a MariaDB/MySQL or SQLite server');
    expect(err.reason).toBe('SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver)');
    expect(inFrench(err)).toBe('SPIP ne peut pas utiliser PostgreSQL (SPIP 4 n’a pas de pilote PostgreSQL) : choisissez un serveur MariaDB/MySQL ou SQLite');
    expect(tell('fr', refusal.words.reason)).toBe('SPIP ne peut pas utiliser PostgreSQL (SPIP 4 n’a pas de pilote PostgreSQL)');
    expect(tell('fr', engineRefusal('moodle', 'sqlite')!.words.advice)).toBe('choisissez un serveur MariaDB/MySQL ou PostgreSQL');
    const none = engineError(refusal, phrase('serviceErrors.engineNoneRegistered', { refusal: refusal.words.message }));
    expect(none.message).toBe('SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver): choose a MariaDB/MySQL or SQLite server; none is registered: add one with `mutu servers add`');
    expect(inFrench(none)).toMatch(/^SPIP ne peut pas utiliser PostgreSQL .* ; aucun n’est enregistré : ajoutez-en un/);
  });

  it("says a reason that is Mutu's own words in the reader's language inside another refusal, and a tool's as it is", () => {
    const reason = engineRefusal('spip', 'postgresql')!.words.reason;
    const err = translatedError((m) => new SiteError(m, 422), 'codeCannotCreate', { reason });
    expect(err.message).toBe('This code cannot create a site at the moment: SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver). Tell the person who gave it to you.');
    expect(inFrench(err)).toBe('Ce code ne peut pas créer de site pour le moment : SPIP ne peut pas utiliser PostgreSQL (SPIP 4 n’a pas de pilote PostgreSQL). Prévenez la personne qui vous l’a remis.');
    const fromTool = translatedError((m) => new SiteError(m, 502), 'serviceErrors.frontRefused', { reason: reasonOf(new Error('nginx: [emerg] unexpected "}"')) });
    expect(inFrench(fromTool)).toBe('rien n’a changé : le frontal a refusé (nginx: [emerg] unexpected "}")');
    const fromMutu = translatedError((m) => new SiteError(m, 502), 'serviceErrors.frontRefused', { reason: reasonOf(refusalOf(() => assertRedirectUrl('ftp://x.example.org'))) });
    expect(fromMutu.message).toBe('nothing changed: the front refused it ("ftp://x.example.org" must be a plain http(s) address, without credentials, query or fragment)');
    expect(inFrench(fromMutu)).toBe('rien n’a changé : le frontal a refusé (« ftp://x.example.org » doit être une simple adresse http(s), sans identifiants, requête ni fragment)');
  });

  it("words a platform command's refusal with the command it is about", () => {
    const err = refusalOf(() => parseCommandTemplate('php {site_dir}/x.php | tee log')) as TemplateError;
    expect(err.message).toBe('"|" is a shell operator, but the command runs without a shell: put the pipeline, redirection or sequence in a script and run the script');
    const told = translatedError((m) => new PlatformError(m, 422), 'serviceErrors.templateInCommand', { command: phrase('serviceErrors.commandUpgrade'), reason: reasonOf(err) });
    expect(told.message).toBe(`upgrade command: ${err.message}`);
    expect(inFrench(told)).toBe('commande de mise à jour : « | » est un opérateur du shell, mais la commande s’exécute sans shell : mettez le tube, la redirection ou la séquence dans un script et lancez ce script');
    const placeholder = refusalOf(() => parseCommandTemplate('php {nope}')) as TemplateError;
    expect(placeholder.message).toBe('unknown placeholder {nope}: use {host}, {site_dir}, {platform_dir}, {old_platform_dir}, {url}, {php}, {mutu_scripts}');
    expect(inFrench(placeholder)).toMatch(/^paramètre inconnu \{nope\} : utilisez \{host\}, \{site_dir\}/);
    expect(inFrench(refusalOf(() => parseCommandTemplate('echo "a')))).toBe('la commande a un guillemet double non fermé');
  });

  it('words the database-name and host-mask refusals and the server form hints', () => {
    const mask = refusalOf(() => assertHostMask("x'@'%"));
    expect(mask.message).toBe(`refusing the MySQL host mask "x'@'%": letters, digits and . % _ : - only`);
    expect(inFrench(mask)).toBe("le masque d’hôte MySQL « x'@'% » est refusé : lettres, chiffres, point, %, _, deux-points et tiret seulement");
    const name = refusalOf(() => assertIdentifier('Abc'));
    expect(name.message).toBe('refusing the identifier "Abc": expected ^[a-z][a-z0-9_]*$, at most 63 characters');
    expect(inFrench(name)).toMatch(/^l’identifiant « Abc » est refusé : il faut des minuscules/);
    const hints = (locale: 'en' | 'fr') => {
      const r = addServerSchemaIn((key) => say(locale, key)).safeParse({ name: 'Maria 1', engine: 'mysql', url: '', sharedDatabase: '1shared' });
      return Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message.replace(/\u00a0/g, ' ')]));
    };
    expect(hints('en')).toEqual({
      name: 'a short name: lower-case letters, digits, ".", "_" or "-"',
      url: 'the server URL, such as mysql://root@127.0.0.1:3306',
      sharedDatabase: 'a database name: lower-case letters, digits and _, starting with a letter, at most 63 characters',
    });
    expect(hints('fr')).toEqual({
      name: 'un nom court : lettres minuscules, chiffres, « . », « _ » ou « - »',
      url: 'l’URL du serveur, par exemple mysql://root@127.0.0.1:3306',
      sharedDatabase: 'un nom de base : lettres minuscules, chiffres et _, commençant par une lettre, 63 caractères au plus',
    });
    // The command line's schema keeps its English.
    expect(addServerSchema.safeParse({ name: 'Maria 1', engine: 'mysql', url: 'x' }).error?.issues[0]?.message).toBe('a short name: lower-case letters, digits, ".", "_" or "-"');
  });

  it("words a certificate's refusals", () => {
    const none = refusalOf(() => parseChain('not a certificate'));
    expect(none.message).toBe('the certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
    expect(inFrench(none)).toBe('le fichier du certificat ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----)');
    expect(inFrench(refusalOf(() => parseChain('', 'chain')))).toMatch(/^le fichier de la chaîne ne contient/);
    const told = translatedError((m) => new SiteError(m, 422), 'serviceErrors.certNotImported', { reason: reasonOf(none) });
    expect(told.message).toBe(`the certificate was not imported: ${none.message}`);
    expect(inFrench(told)).toBe('le certificat n’a pas été importé : le fichier du certificat ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----)');
    const why = phrase('serviceErrors.tlsNotServed', { host: 'a.example.org', status: 'disabled' });
    expect(tell('en', why)).toBe('a.example.org is disabled: the front does not serve it');
    expect(tell('fr', why).replace(/\u00a0/g, ' ')).toBe('a.example.org est désactivé : le frontal ne le sert pas');
  });

  it('has every new key in both languages, worded differently', () => {
    const keys = Object.keys(en.serviceErrors).filter((k) => /^(engine|orList|db[A-Z]|server(Name|Engine|Url)Hint|template|command[A-Z]|cert|tls|frontBadHost|redirect(Not|Path))/.test(k));
    expect(keys.length).toBeGreaterThan(40);
    for (const k of keys) {
      const [english, french] = [en.serviceErrors[k as keyof typeof en.serviceErrors], fr.serviceErrors[k as keyof typeof fr.serviceErrors]];
      expect(french, k).toBeTruthy();
      if (!/^(serverEngineHint|templateInCommand|engineRefused)$/.test(k)) expect(french, k).not.toBe(english);
    }
    for (const k of ['requestNotFromPage', 'notFound', 'signInFirst', 'needsAdmin'] as const) expect(fr.serverErrors[k]).not.toBe(en.serverErrors[k]);
    expect(say('fr', 'signInFirst')).toBe('Connectez-vous d’abord.');
  });
});
