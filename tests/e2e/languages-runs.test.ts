import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

/*
 * The bulk upgrade and the scan report as a French admin sees them, with no setting: their
 * browser asks for French. A dry run, a run followed live to its end, and the scan of a farm
 * holding a folder nobody knows; no English sentence of these screens is left.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the French runs test' };
const tag = `fr${crypto.randomBytes(3).toString('hex')}`;
const hosts = [`a-${tag}.example.org`, `b-${tag}.example.org`];
const already = `c-${tag}.example.org`;
const stray = `ancien-${tag}.example.org`;

/** Sentences of these screens as they read in English: none may show to a French reader. */
const ENGLISH = [
  'Upgrade many sites at once',
  'New run',
  'Preview (dry run)',
  'Start run',
  'Would upgrade',
  'Left out',
  'already on',
  'sites done',
  'Sites of the run',
  'Under way',
  'Scan again',
  'Folders no site knows',
  'Its connection file says',
  'Sites whose folder is missing',
];

describe.skipIf(!services.chromium)('upgrade runs and the scan report in French, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const dirs: string[] = [];
  const release = (version: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-e2e-fr-${version}-`));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
    return dir;
  };
  const main = async () => (await page.locator('main').innerText()).replace(/\u00a0/g, ' ');
  const noEnglish = async () => {
    const text = await main();
    expect(ENGLISH.filter((s) => text.includes(s)), text).toEqual([]);
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1', MUTU_HEALTH_TIMEOUT_SECONDS: '2' } }),
      launchBrowser(),
    ]);
    const cli = async (...args: string[]) => {
      const r = await runCli(args, { env: app.env, timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`mutu ${args.join(' ')}: ${r.stderr}`);
    };
    await cli('platforms', 'add', '--name', 'appli-1', '--profile', 'spip', '--path', release('1'), '--version', '1');
    await cli('platforms', 'add', '--name', 'appli-2', '--profile', 'spip', '--path', release('2'), '--version', '2');
    for (const host of hosts) await cli('sites', 'create', '--host', host, '--platform', 'appli-1');
    await cli('sites', 'create', '--host', already, '--platform', 'appli-2');
    // A folder dropped into sites/ by hand: the scan finds it and offers to adopt it.
    const folder = path.join(app.dataDir, 'farm', 'sites', stray);
    fs.mkdirSync(path.join(folder, 'config', 'bases'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'config', 'bases', 'ancien.sqlite'), '');
    fs.writeFileSync(path.join(folder, 'config', 'connect.php'), `<?php\nspip_connect_db('','','','','ancien','sqlite3','spip','','utf8');\n`);

    const context = await browser.newContext({ baseURL: app.url, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // Signed in whatever the page's language: the form's fields by name, its one submit button.
    await page.goto('/login');
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }, 300_000);

  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') process.stderr.write(`URL at failure: ${page.url()}\n${await main().catch(() => '')}\n`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('previews a run, starts it and follows it to its end, all in French', async () => {
    await page.goto('/runs');
    expect(await page.locator('main h1').innerText()).toBe('Campagnes de mise à jour');
    await page.getByText('Pas encore de campagne').waitFor();
    await page.getByLabel('Hôtes').fill(`*-${tag}.example.org`);
    await page.getByLabel('Mettre à jour vers').selectOption('appli-2');
    await page.getByRole('button', { name: 'Prévisualiser (essai à blanc)' }).click();
    const form = page.getByRole('form', { name: 'Lancer une campagne de mise à jour' });
    await form.getByText(`Seraient mis à jour (2, site témoin ${hosts[0]})`).waitFor();
    // Why the third site is left out, in French too.
    expect((await form.innerText()).replace(/\u00a0/g, ' ')).toContain(`${already} — déjà sur appli-2`);
    expect(await form.innerText()).toContain('Écartés (1)');
    await noEnglish();

    await page.getByRole('button', { name: 'Lancer la campagne' }).click();
    await page.waitForURL(/\/runs\/\w+$/);
    expect(await page.locator('main h1').innerText()).toBe('Mise à jour vers appli-2');
    const table = page.getByRole('table', { name: 'Sites de la campagne' });
    await page.getByText('réussie', { exact: true }).first().waitFor({ timeout: 60_000 });
    expect(await table.locator('tbody tr[data-state="succeeded"]').count()).toBe(2);
    const text = await main();
    expect(text).toContain('2 sites traités sur 2');
    expect(text).toContain(`hôtes correspondant à *-${tag}.example.org → appli-2`);
    expect(text).toContain('1 site sélectionné écarté de la campagne');
    expect(text).toMatch(/Commencée le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC/);
    expect(await table.getByText('mis à jour', { exact: true }).count()).toBe(2);
    await page.getByRole('progressbar', { name: 'Avancement de la campagne' }).waitFor();
    await noEnglish();

    await page.goto('/runs');
    const runs = page.getByRole('table', { name: 'Campagnes de mise à jour' });
    expect(await runs.innerText()).toContain('2/2 mis à jour');
    await noEnglish();
  });

  it('scans the farm and reports the unknown folder in French', async () => {
    await page.goto('/sites/scan');
    expect(await page.locator('main h1').innerText()).toBe('Analyser la ferme');
    await page.getByRole('button', { name: 'Analyser la ferme' }).click();
    const row = page.locator(`tr[data-host="${stray}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/application[\s\S]*spip[\s\S]*base[\s\S]*ancien \(sqlite\)[\s\S]*préfixe\s+spip/);
    await row.getByRole('form', { name: `Adopter ${stray}` }).getByRole('button', { name: 'Adopter' }).waitFor();
    const text = await main();
    expect(text).toContain('Dossiers qu’aucun site ne connaît');
    expect(text).toContain('Aucun : chaque site a son dossier.');
    expect(text).toMatch(/Analyse du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC : \d+ dossiers dans sites\//);
    await page.getByRole('button', { name: 'Analyser à nouveau' }).waitFor();
    await noEnglish();
  });
});
