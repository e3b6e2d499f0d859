import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

/*
 * The webmaster's export flow in Chromium against the real app (`mutu start`, whose worker
 * runs the export): sign in, prepare an export, watch it become ready, download both files,
 * check them against the sha256 the page shows, restore the dump and unpack the archive;
 * another webmaster sees nothing of it and gets 404 for everything; anonymous too.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the export test' };
const tag = crypto.randomBytes(3).toString('hex');
const ALICE = { email: `alice-${tag}@example.org`, password: 'alice password for the export test' };
const BOB = { email: `bob-${tag}@example.org`, password: 'bob password for the export test' };
const HOST_A = `alice-${tag}.example.org`;
const HOST_B = `bob-${tag}.example.org`;

/** a folder to keep screenshots of each screen in (optional) */
const SHOTS = process.env.MUTU_E2E_SHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};
const sha = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

describe.skipIf(!services.chromium)('exports in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-e2e-export-'));
  const siteFolder = (host: string) => path.join(app.dataDir, 'farm', 'sites', host);
  let prefixA = '';
  /** what Alice's page offered: file names, sha256 shown and links */
  let offered: { name: string; sha256: string; href: string }[] = [];
  let exportId = '';

  const cli = async (args: string[], stdin?: string) => {
    const r = await runCli(args, { env: app.env, stdin, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`mutu ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  async function signedIn(who: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return signIn(await context.newPage(), who);
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1', MUTU_HEALTH_TIMEOUT_SECONDS: '2' } }),
      launchBrowser(),
    ]);
    const platform = fs.mkdtempSync(path.join(work, 'platform-'));
    await cli(['platforms', 'add', '--name', 'spip-e2e', '--profile', 'spip', '--path', platform, '--version', '1']);
    for (const who of [ALICE, BOB]) await cli(['users', 'create', '--email', who.email, '--role', 'webmaster', '--password-stdin'], who.password);
    await cli(['sites', 'create', '--host', HOST_A, '--platform', 'spip-e2e', '--webmaster', ALICE.email]);
    await cli(['sites', 'create', '--host', HOST_B, '--platform', 'spip-e2e', '--webmaster', BOB.email]);

    // Alice's site: a table with rows, uploads, and what must never leave with them.
    prefixA = JSON.parse(await cli(['sites', 'show', '--host', HOST_A, '--json'])).database.tablePrefix as string;
    const bases = path.join(siteFolder(HOST_A), 'config', 'bases');
    const dbFile = path.join(bases, fs.readdirSync(bases).find((f) => f.endsWith('.sqlite'))!);
    execFileSync('sqlite3', [dbFile, `CREATE TABLE ${prefixA}_articles (id INTEGER PRIMARY KEY, titre TEXT); INSERT INTO ${prefixA}_articles VALUES (1, 'L''été'), (2, '写真');`]);
    const img = path.join(siteFolder(HOST_A), 'IMG');
    const otherImg = path.join(siteFolder(HOST_B), 'IMG');
    fs.mkdirSync(path.join(img, 'jpg'), { recursive: true });
    fs.mkdirSync(otherImg, { recursive: true });
    fs.writeFileSync(path.join(img, 'jpg', 'photo.jpg'), crypto.randomBytes(200_000));
    fs.writeFileSync(path.join(img, 'mon document.pdf'), 'a document\n');
    fs.writeFileSync(path.join(otherImg, 'private.txt'), "Bob's private file\n");
    fs.symlinkSync('/etc/passwd', path.join(img, 'passwd'));
    fs.symlinkSync(siteFolder(HOST_B), path.join(img, 'bob-site'));
    fs.linkSync(path.join(otherImg, 'private.txt'), path.join(img, 'stolen.txt'));
    spawnSync('mkfifo', [path.join(img, 'pipe')]);
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lets a webmaster prepare an export of their site, see it ready and download both files', async () => {
    const page = await signedIn(ALICE);
    await page.waitForURL((url) => url.pathname === '/my');
    const main = await page.locator('main').innerText();
    expect(main).toContain(HOST_A);
    expect(main).not.toContain(HOST_B);
    expect(main).toContain('No export yet.');

    await page.getByRole('button', { name: `Prepare export of ${HOST_A}` }).click();
    // Followed live: no reload, the list shows the export, then its files.
    const ready = page.locator('li[data-export-status="ready"]');
    await ready.waitFor({ timeout: 60_000 });
    exportId = (await ready.getAttribute('data-export-id'))!;
    await shot(page, 'export-webmaster-ready');
    const items = ready.locator('li[data-file-kind]');
    expect(await items.count()).toBe(2);
    expect(await ready.innerText()).toContain('expires');

    offered = [];
    for (const kind of ['sql', 'files']) {
      const item = ready.locator(`li[data-file-kind="${kind}"]`);
      const link = item.getByRole('link', { name: /^Download / });
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/^\/api\/downloads\/\w+\?exp=\d+&sig=[\w-]+$/);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const saved = path.join(work, download.suggestedFilename());
      await download.saveAs(saved);
      const shown = (await item.locator('[data-sha256]').innerText()).trim();
      expect(sha(fs.readFileSync(saved)), kind).toBe(shown);
      offered.push({ name: saved, sha256: shown, href });
    }
    const [sqlFile, archive] = offered.map((o) => o.name) as [string, string];
    expect(path.basename(sqlFile)).toMatch(new RegExp(`^${HOST_A.replace(/\./g, '\\.')}-\\d{8}-\\d{4}\\.sql\\.gz$`));
    expect(path.basename(archive)).toMatch(/-IMG\.tar\.gz$/);

    // The dump restores into a fresh database.
    const fresh = path.join(work, 'fresh.sqlite');
    const load = spawnSync('sqlite3', [fresh], { input: zlib.gunzipSync(fs.readFileSync(sqlFile)) });
    expect(load.status, String(load.stderr)).toBe(0);
    expect(execFileSync('sqlite3', [fresh, `SELECT id || ':' || titre FROM ${prefixA}_articles ORDER BY id`], { encoding: 'utf8' }).trim().split('\n')).toEqual(['1:L\'été', '2:写真']);

    // The archive unpacks to the real uploads only: no link, no other site's file, no FIFO.
    const out = fs.mkdtempSync(path.join(work, 'unpacked-'));
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['IMG/', 'IMG/jpg/', 'IMG/jpg/photo.jpg', 'IMG/mon document.pdf'].sort());
    expect(sha(fs.readFileSync(path.join(out, 'IMG', 'jpg', 'photo.jpg')))).toBe(sha(fs.readFileSync(path.join(siteFolder(HOST_A), 'IMG', 'jpg', 'photo.jpg'))));
  }, 120_000);

  it('resumes a download with a Range request from the same session', async () => {
    const page = contexts[0]!.pages()[0]!;
    const res = await page.request.get(offered[1]!.href, { headers: { range: 'bytes=100-' } });
    expect(res.status()).toBe(206);
    const whole = fs.readFileSync(offered[1]!.name);
    expect(res.headers()['content-range']).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await res.body()).equals(whole.subarray(100))).toBe(true);
  });

  it('prepares the uploads as a .zip on request', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.getByLabel(`Export format for ${HOST_A}`).selectOption('zip');
    await page.getByRole('button', { name: `Prepare export of ${HOST_A}` }).click();
    const zipped = page.locator('li[data-export-status="ready"]').filter({ hasText: 'zip' }).filter({ hasText: '-IMG.zip' });
    await zipped.waitFor({ timeout: 60_000 });
    const item = zipped.locator('li[data-file-kind="files"]');
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('link', { name: /^Download / }).click()]);
    const saved = path.join(work, download.suggestedFilename());
    await download.saveAs(saved);
    expect(saved).toMatch(/-IMG\.zip$/);
    expect(sha(fs.readFileSync(saved))).toBe((await item.locator('[data-sha256]').innerText()).trim());
    execFileSync('unzip', ['-tq', saved]);
    const names = execFileSync('zipinfo', ['-1', saved], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(names).toEqual(['IMG/', 'IMG/jpg/', 'IMG/jpg/photo.jpg', 'IMG/mon document.pdf'].sort());
  }, 120_000);

  it("offers the webmaster the site's secret keys as a choice, off by default, saying what they are and to keep them safe", async () => {
    const keys = `<?php return ['secret_des_auth' => '${crypto.randomBytes(32).toString('base64')}'];\n`;
    fs.writeFileSync(path.join(siteFolder(HOST_A), 'config', 'cles.php'), keys);
    const page = contexts[0]!.pages()[0]!;
    await page.reload();
    const box = page.getByRole('checkbox', { name: /Include the site[’']s secret keys \(config\/cles\.php\)/ });
    expect(await box.isChecked()).toBe(false);
    const help = await page.locator('main').innerText();
    expect(help).toContain('signs nobody in until each user resets their password');
    expect(help).toContain('keep it safe');

    await box.check();
    await page.getByRole('button', { name: `Prepare export of ${HOST_A}` }).click();
    const withKeys = page.locator('li[data-export-status="ready"]').filter({ has: page.locator('li[data-file-kind="secrets"]') });
    await withKeys.waitFor({ timeout: 60_000 });
    await shot(page, 'export-webmaster-secrets');
    const item = withKeys.locator('li[data-file-kind="secrets"]');
    expect(await item.innerText()).toContain('keep this file safe');
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('link', { name: /^Download / }).click()]);
    const saved = path.join(work, download.suggestedFilename());
    await download.saveAs(saved);
    expect(saved).toMatch(/-secrets\.tar\.gz$/);
    expect(sha(fs.readFileSync(saved))).toBe((await item.locator('[data-sha256]').innerText()).trim());
    expect(execFileSync('tar', ['-tzf', saved], { encoding: 'utf8' }).trim().split('\n')).toEqual(['config/cles.php']);
    expect(execFileSync('tar', ['-xzOf', saved, 'config/cles.php'], { encoding: 'utf8' })).toBe(keys);
  }, 120_000);

  it('shows another webmaster nothing of it and answers 404 to every attempt', async () => {
    const page = await signedIn(BOB);
    await page.waitForURL((url) => url.pathname === '/my');
    const main = await page.locator('main').innerText();
    expect(main).toContain(HOST_B);
    expect(main).not.toContain(HOST_A);
    await shot(page, 'export-other-webmaster');
    expect(main).not.toContain(offered[0]!.sha256);

    for (const { href } of offered) {
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(404);
      // The same link with the id of the other file, or without its signature.
      expect((await page.request.get(href.replace(/\?.*$/, ''))).status()).toBe(404);
    }
    expect((await page.request.get(`/api/exports/${exportId}`)).status()).toBe(404);
    expect((await page.request.get(`/api/exports?host=${HOST_A}`)).status()).toBe(404);
    const post = await page.request.post('/api/exports', { data: { host: HOST_A, format: 'tar.gz' }, headers: { origin: app.url } });
    expect(post.status()).toBe(404);
    // Bob's own site page of exports works.
    expect((await page.request.get(`/api/exports?host=${HOST_B}`)).status()).toBe(200);

    // Anonymous: the same 404.
    for (const { href } of offered) expect((await fetch(`${app.url}${href}`)).status).toBe(404);
  }, 60_000);

  it("shows the admin the same panel on the site page, and the audit trail has the requests and every download", async () => {
    const page = await signedIn(ADMIN);
    await page.goto(`/sites/${HOST_A}`);
    const ready = page.locator(`li[data-export-id="${exportId}"][data-export-status="ready"]`);
    await ready.waitFor();
    expect(await ready.locator('li[data-file-kind]').count()).toBe(2);
    expect(await page.locator('li[data-export-status="ready"]').count()).toBe(3); // the tar.gz, the zip, the one with the keys
    await shot(page, 'export-admin-site-page');
    expect(await page.getByRole('button', { name: `Prepare export of ${HOST_A}` }).count()).toBe(1);
    // An admin's export carries the site's keys unless they untick it.
    expect(await page.getByRole('checkbox', { name: /Include the site[’']s secret keys/ }).isChecked()).toBe(true);

    await page.goto(`/audit?site=${HOST_A}`);
    const rows = page.getByRole('row');
    expect(await rows.filter({ hasText: 'export.request' }).filter({ hasText: ALICE.email }).count()).toBe(3);
    // Two downloads, the resumed range, the zip and the keys, all Alice's; Bob's attempts left no trace.
    expect(await rows.filter({ hasText: 'export.download' }).filter({ hasText: ALICE.email }).count()).toBe(5);
    expect(await rows.filter({ hasText: 'export.download' }).count()).toBe(5);
  }, 60_000);
});
