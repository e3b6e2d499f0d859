import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { runCli, type CliResult } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

/*
 * What the services say, as a French admin reads it with no setting (their browser asks for
 * French): a refusal raised deep in a service and shared with the command line (a platform
 * still in use, a host the rules refuse), a failed job's steps and the worker's log lines,
 * and a problem the scan finds in a folder, an application that cannot use a server's engine, a
 * database name or host mask the server form refuses, the API's own refusals. The command line
 * keeps its English words.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the French services test' };
const tag = `fr${crypto.randomBytes(3).toString('hex')}`;
const inUse = `plateforme-${tag}`;
const failing = `echec-${tag}`;
const late = `tardif-${tag}.example.org`;
const broken = `casse-${tag}.example.org`;
const stray = `sans-connexion-${tag}.example.org`;
const moodle = `moodle-${tag}`;
const onSqlite = `moodle-sqlite-${tag}.example.org`;

describe.skipIf(!services.chromium)("the services' words in French, in Chromium", () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let cli: (...args: string[]) => Promise<CliResult>;
  const dirs: string[] = [];
  const release = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-e2e-fr-services-'));
    dirs.push(dir);
    return dir;
  };
  const text = async (locator = page.locator('main')) => (await locator.innerText()).replace(/\u00a0/g, ' ');

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    cli = (...args: string[]) => runCli(args, { env: app.env, timeoutMs: 120_000 });
    const ok = async (...args: string[]) => {
      const r = await cli(...args);
      if (r.code !== 0) throw new Error(`mutu ${args.join(' ')}: ${r.stderr}`);
    };
    await ok('platforms', 'add', '--name', inUse, '--profile', 'generic', '--path', release(), '--version', '1');
    // An install command that fails: the site's job fails at its install step and undoes the others.
    await ok('platforms', 'add', '--name', failing, '--profile', 'generic', '--path', release(), '--version', '1', '--install-command', 'false');
    // Moodle has no SQLite driver: the embedded server (registered by the first site below) is refused for it.
    await ok('platforms', 'add', '--name', moodle, '--profile', 'moodle', '--path', release(), '--version', '4');
    const made = await cli('sites', 'create', '--host', broken, '--platform', failing, '--webmaster', `webmestre-${tag}@example.org`);
    expect(made.code, made.stdout).not.toBe(0);
    // The command line keeps the English of the failure.
    expect(made.stdout + made.stderr).toContain('the install command failed (exit 1)');
    // A folder dropped into sites/ by hand, with no connection file: the scan says why it cannot be adopted.
    fs.mkdirSync(path.join(app.dataDir, 'farm', 'sites', stray, 'IMG'), { recursive: true });

    const context = await browser.newContext({ baseURL: app.url, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto('/login');
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }, 300_000);

  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') process.stderr.write(`URL at failure: ${page.url()}\n${await text().catch(() => '')}\n`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses to retire a platform a site came to run on, in French on the page and in English on the command line', async () => {
    await page.goto('/platforms');
    const row = page.locator('tr', { hasText: inUse });
    const retire = row.getByRole('button', { name: 'Retirer' });
    await retire.waitFor();
    // Between the page and the click, a site starts running on it.
    const created = await cli('sites', 'create', '--host', late, '--platform', inUse);
    expect(created.code, created.stderr).toBe(0);
    await retire.click();
    const alert = row.getByRole('alert');
    await alert.waitFor();
    expect(await text(alert)).toBe(`${inUse} fait encore tourner 1 site (${late}) : mettez-les d’abord à jour vers une autre plateforme (mutu upgrade --match ... --to ...)`);

    const r = await cli('platforms', 'retire', '--name', inUse);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${inUse} still runs 1 site(s) (${late}): upgrade them to another platform first (mutu upgrade --match ... --to ...)`);
  });

  it('says under the host field why the host rules refuse it', async () => {
    await page.goto('/sites/new');
    await page.locator('#site-host').fill(`mon site-${tag}.example.org`);
    await page.getByRole('button', { name: 'Créer le site' }).click();
    await page.getByText('n’est pas un hôte de site valable').waitFor();
    const main = await text();
    expect(main).toContain(`« mon site-${tag}.example.org » n’est pas un hôte de site valable : il contient des espaces`);
    expect(main).not.toContain('is not a valid site host');

    const r = await cli('sites', 'create', '--host', `mon site-${tag}.example.org`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`"mon site-${tag}.example.org" is not a valid site host: it contains spaces`);
  });

  it("shows a failed job's step and the worker's log lines in French", async () => {
    await page.goto('/jobs');
    const row = page.locator('tr', { hasText: broken });
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/jobs\/\w+$/);
    await page.getByText('Échec à l’étape').waitFor();
    const main = await text();
    // The step it stopped at, stored as "undo <step>", worded from the catalogue.
    expect(main).toMatch(/Échec à l’étape « annulation : (réservation|dossiers|base de données|configuration|vérification de la connexion|webmestre|installation|mise en service) »/);
    const log = await text(page.getByRole('log'));
    expect(log).toContain('commencée sur');
    expect(log).toMatch(/échec : /);
    expect(log).toMatch(/défait : (dossiers|base de données|réservation|configuration)/);
    // A step's own frequent lines too.
    expect(log).toContain(`${broken} réservé`);
    expect(log).toMatch(/dossiers créés dans .*: config, data/);
    for (const english of ['started on', 'undone: ', 'undo of', 'reserved ', 'folders made in', 'front: ', 'failed (exit']) expect(log).not.toContain(english);
    expect(main).not.toMatch(/Failed at step|"undo /);
    // The job's error, Mutu's own words about the command, in French above the log and in its "failed" line.
    expect(await text(page.locator('main').getByRole('alert').first())).toContain('la commande d’installation a échoué (code de sortie 1)');
    expect(log).toContain('échec : la commande d’installation a échoué (code de sortie 1)');
    expect(main).not.toContain('the install command failed');
  });

  it('words the problem of a folder the scan cannot adopt in French', async () => {
    await page.goto('/sites/scan');
    await page.getByRole('button', { name: 'Analyser la ferme' }).click();
    const row = page.locator(`tr[data-host="${stray}"]`);
    await row.waitFor();
    const words = await text(row);
    expect(words).toContain('aucun fichier de connexion (config/connect.php ou config/mutu.env)');
    expect(words).not.toContain('no connection file');
  });

  it('says under the server field, in French, why an application cannot use a server, and the command line in English', async () => {
    await page.goto('/sites/new');
    await page.locator('#site-platform').selectOption(moodle);
    const server = page.locator('#site-server');
    expect(await server.locator('option[value="embedded"]').isDisabled()).toBe(true);
    await page.getByText('Moodle ne peut pas utiliser SQLite (Moodle n’a pas de pilote SQLite).').waitFor();
    // A form sent anyway (a page from before) is refused under the server field, in French.
    await page.locator('#site-host').fill(onSqlite);
    await server.evaluate((el) => el.querySelector('option[value="embedded"]')!.removeAttribute('disabled'));
    await server.selectOption('embedded');
    await page.getByRole('button', { name: 'Créer le site' }).click();
    const refusal = 'Moodle ne peut pas utiliser SQLite (Moodle n’a pas de pilote SQLite) : choisissez un serveur MariaDB/MySQL ou PostgreSQL';
    await page.getByText('choisissez un serveur MariaDB/MySQL ou PostgreSQL').waitFor();
    const main = await text();
    expect(main).toContain(refusal);
    expect(main).not.toContain('cannot use');
    expect(new URL(page.url()).pathname).toBe('/sites/new');

    const r = await cli('sites', 'create', '--host', onSqlite, '--platform', moodle, '--server', 'embedded');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Moodle cannot use SQLite (Moodle has no SQLite driver): choose a MariaDB/MySQL or PostgreSQL server');
  });

  it("says under the server form's fields, in French, what a name or a host mask must be", async () => {
    await page.goto('/servers');
    const form = page.getByRole('form', { name: 'Ajouter un serveur de base de données' });
    await form.locator('#server-name').fill('Maria 1');
    await form.locator('#server-url').fill('mysql://root@127.0.0.1:3306');
    await form.locator('#server-shared').fill('1partagee');
    await form.locator('button[type="submit"]').click();
    await form.getByText('un nom de base').waitFor(); // the hint said "Un nom court…" already: wait for the answer
    let words = await text(form);
    expect(words).toContain('un nom court : lettres minuscules, chiffres, « . », « _ » ou « - »');
    expect(words).toContain('un nom de base : lettres minuscules, chiffres et _, commençant par une lettre, 63 caractères au plus');
    expect(words).not.toMatch(/a short name|a database name/);

    // A host mask with a space, refused before any connection is tried.
    await form.locator('#server-name').fill(`maria-${tag}`);
    await form.locator('#server-shared').fill('');
    await form.locator('#server-host-mask').fill('web 1');
    await form.locator('button[type="submit"]').click();
    await form.getByText('le masque d’hôte MySQL').first().waitFor(); // under the field, and in the form's message
    words = await text(form);
    expect(words).toContain('le masque d’hôte MySQL « web 1 » est refusé : lettres, chiffres, point, %, _, deux-points et tiret seulement');
    expect(words).not.toContain('refusing');

    const r = await cli('servers', 'add', '--name', `maria-${tag}`, '--engine', 'mysql', '--url', 'mysql://root@127.0.0.1:3306', '--host-mask', 'web 1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('refusing the MySQL host mask "web 1": letters, digits and . % _ : - only');
  });

  it("answers the API's refusals of a visitor who is not signed in in French, in the same JSON shape", async () => {
    const visitor = await browser.newContext({ baseURL: app.url, locale: 'fr-FR' });
    try {
      // A request of the page's own script sends the browser's languages, as here.
      const r = await visitor.request.get('/api/jobs', { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });
      expect(r.status()).toBe(401);
      expect(await r.json()).toEqual({ error: 'Connectez-vous d’abord.' });
    } finally {
      await visitor.close();
    }
  });
});
