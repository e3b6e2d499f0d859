import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import { UPGRADE_SCRIPT } from '../fixtures/upgrade-sites';
import { waitFor } from '../fixtures/wait';

/*
 * A bulk upgrade as an admin runs it in the dashboard, in Chromium, against the real app
 * (`mutu start`, whose worker drives the run): register the new release, preview a pattern,
 * start the run, watch it live until one deliberately broken site has rolled back, retry it;
 * then upgrade a selection of the sites list, and undo one upgrade from its site page.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the upgrade test' };
const tag = `e${crypto.randomBytes(3).toString('hex')}`;
const SITES = 4;

describe.skipIf(!services.chromium)('an upgrade run in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const dirs: string[] = [];
  const hosts = Array.from({ length: SITES }, (_, i) => `s${i}-${tag}.example.org`);
  const broken = hosts[2]!;
  let v2Dir = '';

  const release = (version: string, behaviour: object) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-e2e-app-${version}-`));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
    fs.writeFileSync(path.join(dir, 'behaviour.json'), JSON.stringify(behaviour));
    return dir;
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
    await cli('platforms', 'add', '--name', 'app-1', '--profile', 'spip', '--path', release('1', {}), '--version', '1');
    for (const host of hosts) await cli('sites', 'create', '--host', host, '--platform', 'app-1');
    // The database content the application's upgrade migrates.
    const { execFileSync } = await import('node:child_process');
    for (const host of hosts) {
      const dbDir = path.join(app.dataDir, 'farm', 'sites', host, 'config', 'bases');
      const file = path.join(dbDir, fs.readdirSync(dbDir).find((f) => f.endsWith('.sqlite'))!);
      const prefix = JSON.parse(execFileSync(process.execPath, ['bin/mutu.js', 'sites', 'show', '--host', host, '--json'], { env: app.env, encoding: 'utf8' })).database?.tablePrefix ?? '';
      execFileSync('sqlite3', [file, `CREATE TABLE ${prefix ? `${prefix}_` : ''}articles (id INTEGER PRIMARY KEY, title VARCHAR(100)); INSERT INTO ${prefix ? `${prefix}_` : ''}articles VALUES (1, 'one');`]);
    }
    v2Dir = release('2', { failHosts: [broken] });

    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, ADMIN);
  }, 300_000);

  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') {
      await page.screenshot({ path: `/tmp/upg-e2e-${t.task.name.slice(0, 20).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
      process.stderr.write(`URL at failure: ${page.url()}\n${await page.locator('main').innerText().catch(() => '')}\n`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('registers the new release with its upgrade command on the platforms page', async () => {
    await page.goto('/platforms');
    await page.locator('#platform-name').fill('app-2');
    await page.locator('#platform-profile').selectOption('spip');
    await page.locator('#platform-path').fill(v2Dir);
    await page.locator('#platform-version').fill('2');
    await page.locator('#platform-upgrade-command').fill(`'${process.execPath}' ${UPGRADE_SCRIPT} --platform {platform_dir} --host {host}`);
    await page.getByRole('button', { name: 'Add platform' }).click();
    await page.getByRole('status').filter({ hasText: 'Registered app-2' }).waitFor();
    await page.reload();
    expect(await page.locator('tbody').innerText()).toContain('--platform {platform_dir} --host {host}');
  });

  it('previews a pattern, starts the run and shows it live until the broken site has rolled back', async () => {
    await page.goto('/runs');
    await page.locator('#run-match').fill(`*-${tag}.example.org`);
    await page.locator('#run-to').selectOption('app-2');
    await page.locator('#run-concurrency').fill('1');
    await page.locator('#run-max-failures').fill('5');
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const preview = page.getByRole('status').filter({ hasText: 'Dry run' });
    await preview.waitFor();
    expect(await preview.innerText()).toContain(`${SITES} site(s) would be upgraded to app-2`);
    expect(await page.locator('form[aria-label="Start an upgrade run"]').innerText()).toContain(`canary ${hosts[0]}`);

    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/\w+$/);
    const table = page.getByRole('table', { name: 'Sites of the run' });
    expect(await table.locator('tbody tr').count()).toBe(SITES);
    // Live: the states change without a reload, until the run ends.
    await page.getByText('partial', { exact: true }).first().waitFor({ timeout: 90_000 });
    const failedRow = table.locator('tbody tr[data-state="failed"]');
    expect(await failedRow.innerText()).toContain(broken);
    expect(await failedRow.innerText()).toContain('upgrade command failed (exit 3)');
    expect(await table.locator('tbody tr[data-state="succeeded"]').count()).toBe(SITES - 1);
    expect(await failedRow.getByRole('link', { name: 'log' }).getAttribute('href')).toMatch(/^\/jobs\/\w+$/);

    // The broken site kept working on its old platform.
    await page.goto(`/sites/${broken}`);
    expect(await page.locator('main').innerText()).toMatch(/active[\s\S]*on app-1/);
  });

  it('retries the failed site once its release is fixed', async () => {
    fs.writeFileSync(path.join(v2Dir, 'behaviour.json'), '{}');
    await page.goto('/runs');
    await page.getByRole('table', { name: 'Upgrade runs' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Retry 1 failed' }).click();
    await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('table', { name: 'Sites of the run' }).locator('tbody tr[data-state="succeeded"]').count()).toBe(SITES);
  });
  it('upgrades the sites ticked in the sites list, then undoes one upgrade from its site page', async () => {
    const v3Dir = release('3', {});
    // No upgrade command: the test application's migration is the one app-2 already made.
    const r = await runCli(['platforms', 'add', '--name', 'app-3', '--profile', 'spip', '--path', v3Dir, '--version', '3'], { env: app.env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const [a, b] = [hosts[0]!, hosts[1]!];

    await page.goto(`/sites?q=${encodeURIComponent(`*-${tag}.example.org`)}`);
    await page.getByLabel(`Select ${a}`, { exact: true }).check();
    await page.getByLabel(`Select ${b}`, { exact: true }).check();
    await page.getByRole('link', { name: 'Upgrade selected…' }).click();
    await page.waitForURL(/\/runs\?hosts=/);
    expect((await page.locator('#run-hosts').inputValue()).split('\n').sort()).toEqual([a, b]);
    await page.locator('#run-to').selectOption('app-3');
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByRole('status').filter({ hasText: '2 site(s) would be upgraded to app-3' }).waitFor();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/\w+$/);
    await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 60_000 });
    const rows = page.getByRole('table', { name: 'Sites of the run' }).locator('tbody tr[data-state="succeeded"]');
    expect((await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).sort()).toEqual([a, b]);

    // Undo a's upgrade: its latest snapshot is the one taken before app-3.
    const platformOf = async (host: string) => {
      const show = await runCli(['sites', 'show', '--host', host, '--json'], { env: app.env, timeoutMs: 30_000 });
      return (JSON.parse(show.stdout) as { platform: { name: string } }).platform.name;
    };
    expect(await platformOf(a)).toBe('app-3');
    await page.goto(`/sites/${a}`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Undo to this' }).first().click();
    await page.getByRole('link', { name: 'Follow the job →' }).waitFor();
    await waitFor(`${a} back on app-2`, async () => (await platformOf(a)) === 'app-2', 60_000, 500);
    expect(await platformOf(b)).toBe('app-3');
  });
});
