import crypto from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

/*
 * Many sites from one CSV file on the New site page, in Chromium against the real app (its
 * embedded SQLite server): a file with bad lines is refused whole, each problem named by line
 * and column; a good file is previewed, confirmed, and its sites made while the page follows.
 * Set MUTU_E2E_SHOTS to a folder to keep a screenshot of each step.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the csv test' };
const suffix = crypto.randomBytes(3).toString('hex');
const HEADER = 'host,platform,server,webmaster,shared-db';
const SHOTS = process.env.MUTU_E2E_SHOTS;

describe.skipIf(!services.chromium)('creating sites from a CSV file on the New site page', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    const context = await browser.newContext({ baseURL: app.url });
    page = await context.newPage();
    await signIn(page, ADMIN);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const upload = (name: string, text: string) => page.locator('#csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  const siteCount = async () => ((await (await page.request.get('/api/sites')).json()) as { total: number }).total;

  it('offers a template and says its limits', async () => {
    await page.goto('/sites/new');
    const link = page.getByRole('link', { name: 'Download a template (CSV)' });
    const href = (await link.getAttribute('href'))!;
    const template = decodeURIComponent(href.replace(/^data:text\/csv;charset=utf-8,/, ''));
    expect(template.split('\n')[0]).toBe(HEADER);
    expect(template.split('\n')[1]).toMatch(/^blog\.example\.org,/);
    expect(await page.locator('main').innerText()).toContain('At most 500 sites and 256.0 KiB per file');

    // Too big: refused before it is sent, saying the limit.
    await upload('big.csv', `${HEADER}\n${'x'.repeat(300 * 1024)}\n`);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/This file is 300\.\d KiB: the limit is 256\.0 KiB/);
  });

  it('names every bad line with its column, and makes nothing', async () => {
    await page.goto('/sites/new');
    await upload('bad.csv', [HEADER, `good-${suffix}.example.org,,,,no`, 'not a host!,,,,no', `other-${suffix}.example.org,,,,maybe`, ''].join('\n'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    const problems = page.getByRole('table', { name: 'Problems in the file' });
    await problems.waitFor();
    expect(await page.getByRole('alert').filter({ hasText: '2 problems: nothing will be made' }).count()).toBe(1);
    const rows = await problems.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    expect(rows.map(([line, column]) => [line, column])).toEqual([
      ['3', 'host'],
      ['4', 'shared-db'],
    ]);
    expect(rows[1]![2]).toContain('"maybe" is not yes or no');
    expect(await page.getByRole('button', { name: /^Create \d+ sites?$/ }).count()).toBe(0);
    expect(await siteCount()).toBe(0);
    await shot('csv-problems');
  });

  it('previews a good file, then makes its sites once confirmed, following them to 3 / 3', async () => {
    const hosts = ['a', 'b', 'c'].map((x) => `csv-${x}-${suffix}.example.org`);
    await page.goto('/sites/new');
    await upload('good.csv', [HEADER, `${hosts[0]},,,,`, `${hosts[1]},,,,no`, `${hosts[2]},,,someone-${suffix}@example.org,`].join('\n'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    const preview = page.getByRole('table', { name: 'Sites to be made' });
    await preview.waitFor();
    expect(await page.getByRole('status').filter({ hasText: '3 sites can be made' }).count()).toBe(1);
    expect(await preview.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.host))).toEqual(hosts);
    expect(await siteCount()).toBe(0);

    await page.getByRole('button', { name: 'Create 3 sites' }).click();
    await shot('csv-preview');
    await page.getByRole('button', { name: 'Yes, create them' }).click();
    const progress = page.getByTestId('csv-progress');
    await expect.poll(() => progress.textContent(), { timeout: 45_000, interval: 250 }).toBe('3 / 3 sites done');
    expect(await page.getByRole('status').filter({ hasText: 'All 3 sites are made.' }).count()).toBe(1);
    await shot('csv-made');
    const made = page.getByRole('table', { name: 'Creation progress' });
    expect(await made.locator('tbody tr[data-state="succeeded"]').count()).toBe(3);
    for (const host of hosts) {
      const row = made.locator(`tbody tr[data-host="${host}"]`);
      expect(await row.getByRole('link', { name: host }).getAttribute('href')).toBe(`/sites/${host}`);
      expect(await row.getByRole('link', { name: 'log' }).getAttribute('href')).toMatch(/^\/jobs\/\w+$/);
    }

    // Audited one by one, as the command line does: who asked, from the dashboard.
    const audit = (await (await page.request.get('/api/audit?action=site.request&source=ui')).json()) as { events: { siteHost: string; actorEmail: string }[] };
    expect(audit.events.map((e) => [e.siteHost, e.actorEmail]).sort()).toEqual(hosts.map((h) => [h, ADMIN.email]));

    await page.goto('/sites');
    const listed = await page.locator('tbody tr[data-host]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.host!));
    expect(listed.sort()).toEqual([...hosts].sort());
  });

  it('speaks French to a French admin, limits and problems included', async () => {
    const context = await browser.newContext({ baseURL: app.url, locale: 'fr-FR' });
    const fr = await context.newPage();
    // The login page speaks French too: its fields by name, its one submit button.
    await fr.goto('/login');
    await fr.locator('input[name="email"]').fill(ADMIN.email);
    await fr.locator('input[name="password"]').fill(ADMIN.password);
    await fr.locator('form button[type="submit"]').click();
    await fr.waitForURL((url) => url.pathname !== '/login');
    await fr.goto('/sites/new');
    const main = fr.locator('main');
    await main.getByText('Créer plusieurs sites depuis un fichier CSV').waitFor();
    expect(await main.innerText()).toMatch(/Au plus 500 sites et 256,0\sKio par fichier/);
    await fr.locator('#csv-text').fill(`${HEADER}\nfr-${suffix}.example.org,,,,peut-être\nfr2-${suffix}.example.org,no-such-platform,,,no\n`);
    await fr.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await fr.getByRole('alert').filter({ hasText: /2\sproblèmes\s: rien ne sera créé/ }).waitFor();
    // The file's own problems are said in French too, and a line whose site the registry refuses as the single-site form says it.
    const problems = await fr.getByRole('table', { name: 'Problèmes du fichier' }).locator('tbody').innerText();
    expect(problems).toMatch(/2\s+shared-db\s+«\speut-être\s» n’est ni yes ni no/);
    expect(problems).toMatch(/3\s+platform\s+aucune plateforme ne s’appelle no-such-platform/);
    if (SHOTS) await fr.screenshot({ path: path.join(SHOTS, 'csv-fr.png'), fullPage: true });
    await context.close();
  });

  it('follows progress for admins only', async () => {
    const res = await fetch(`${app.url}/api/sites/creations`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify({ jobs: ['x'] }) });
    expect(res.status).toBe(401);
  });
});
