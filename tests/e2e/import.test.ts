import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

/*
 * The dashboard's import in Chromium against the real app (`mutu start`, whose worker runs
 * the import): a site exported with `mutu export --out`, then destroyed, comes back from the
 * Import page with its uploaded files; a folder that holds no export is refused under its field.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the import test' };
const tag = crypto.randomBytes(3).toString('hex');
const HOST = `imported-${tag}.example.org`;
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.skipIf(!services.chromium)('importing a site in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-e2e-import-'));
  const exportDir = path.join(work, 'export');
  const photo = () => path.join(app.dataDir, 'farm', 'sites', HOST, 'IMG', 'jpg', 'photo de vacances.jpg');
  let photoSha = '';

  const cli = async (...args: string[]) => {
    const r = await runCli(args, { env: app.env, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`mutu ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1', MUTU_HEALTH_TIMEOUT_SECONDS: '2' } }),
      launchBrowser(),
    ]);
    await cli('platforms', 'add', '--name', 'spip-e2e', '--profile', 'spip', '--path', fs.mkdtempSync(path.join(work, 'platform-')), '--version', '1');
    await cli('sites', 'create', '--host', HOST, '--platform', 'spip-e2e');
    fs.mkdirSync(path.dirname(photo()), { recursive: true });
    fs.writeFileSync(photo(), crypto.randomBytes(50_000));
    photoSha = sha(photo());
    await cli('export', '--host', HOST, '--out', exportDir);
    await cli('sites', 'destroy', '--host', HOST, '--yes');
    expect(fs.existsSync(photo())).toBe(false);

    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, ADMIN);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses a folder that holds no export, under its field, and keeps what was typed', async () => {
    await page.goto('/sites/import');
    await page.locator('#import-from').fill(work);
    await page.locator('#import-host').fill(HOST);
    await page.getByRole('button', { name: 'Import site' }).click();
    await page.getByText(/holds no manifest\.json/).waitFor();
    expect(await page.locator('#import-host').inputValue()).toBe(HOST);
  });

  it('brings a destroyed site back from its export, with its uploaded files', async () => {
    await page.goto('/sites');
    await page.getByRole('link', { name: /Import/ }).first().click();
    await page.waitForURL(/\/sites\/import$/);
    await page.locator('#import-from').fill(exportDir);
    await page.locator('#import-host').fill(HOST);
    await page.getByRole('button', { name: 'Import site' }).click();
    await page.waitForURL(/\/jobs\/\w+$/);
    await expect
      .poll(async () => JSON.parse(await cli('sites', 'show', '--host', HOST, '--json')).status as string, { timeout: 60_000, interval: 500 })
      .toBe('active');
    expect(sha(photo())).toBe(photoSha);
    await page.goto(`/sites/${HOST}`);
    expect(await page.locator('main').innerText()).toMatch(/active/);
  });
});
