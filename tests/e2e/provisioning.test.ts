import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillSignup as fillSignupForm, finalJobStatus, launchBrowser, signIn } from '../helpers/browser';
import { outboxMails as readOutbox } from '../helpers/outbox';
import { startApp, type RunningApp } from '../helpers/server';
import { runCli } from '../helpers/cli';
import { mysqlAddress, mysqlConnect } from '../helpers/db-probe';
import { writeSpipFolder } from '../helpers/farm-folders';
import { services } from '../helpers/services';
import { GENERIC_CODE_ERROR } from '@/lib/sites/self-service';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the provisioning test' };
const VISITOR = { email: 'club-webmaster@example.org', password: 'a long visitor password 42' };
const suffix = crypto.randomBytes(4).toString('hex');
const CLUB = `club-${suffix}.example.org`;
const SECOND = `second-${suffix}.example.org`;
const ADMIN_SITE = `admin-${suffix}.example.org`;

describe.skipIf(!services.chromium)('provisioning in Chromium: codes, self-service, admin create and destroy', () => {
  let app: RunningApp;
  let browser: Browser;
  let admin: Page;
  let code = '';
  const contexts: BrowserContext[] = [];

  const farm = () => path.join(app.dataDir, 'farm');
  const siteFolder = (host: string) => path.join(farm(), 'sites', host);

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    admin = await signInAs(ADMIN);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A fresh browser session: its own cookies, nobody signed in. */
  async function anonymousPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url });
    contexts.push(context);
    return context.newPage();
  }

  const signInAs = async (user: { email: string; password: string }, page?: Page): Promise<Page> => signIn(page ?? (await anonymousPage()), user);

  /** Alerts with words in them (Next's route announcer is an empty alert region). */
  const alerts = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ });

  const fillSignup = (page: Page, host: string) => fillSignupForm(page, { host, code, ...VISITOR });

  it('lets an admin create a one-use activation code, shown once', async () => {
    await admin.goto('/codes');
    await admin.locator('input[name="label"]').fill('Chess club');
    await admin.locator('input[name="uses"]').fill('1');
    await admin.getByRole('button', { name: 'Create code' }).click();
    const shown = admin.getByTestId('new-code');
    await shown.waitFor();
    code = (await shown.textContent())!.trim();
    expect(code).toMatch(/^mutu-[a-z0-9]{10}-[A-Za-z0-9_-]{32}$/);

    const row = admin.getByRole('row').filter({ hasText: 'Chess club' });
    await expect.poll(() => row.innerText()).toMatch(/valid[\s\S]*0 \/ 1/);
    // After a reload the code is gone for good: only its hash is kept.
    await admin.reload();
    expect(await admin.getByTestId('new-code').count()).toBe(0);
    expect(await admin.locator('body').innerText()).not.toContain(code);
  });

  it('lets a visitor with the code create a site, follow its progress and sign in to it', async () => {
    const page = await anonymousPage();
    const accepted = page.waitForResponse((r) => r.url().endsWith('/api/signup') && r.request().method() === 'POST');
    const polled = page.waitForResponse((r) => r.url().includes('/api/signup/') && r.request().method() === 'GET');
    await fillSignup(page, CLUB);
    const start = await accepted;
    expect(start.status()).toBe(202);
    const { jobId, token, host } = (await start.json()) as { jobId: string; token: string; host: string };
    expect(host).toBe(CLUB);
    // The progress the page follows says how far, and nothing more.
    const progress = await (await polled).json();
    // Once made, the site's addresses (for the success page) come too.
    expect(Object.keys(progress).sort()).toEqual(progress.done ? ['done', 'progress', 'site', 'status', 'step'] : ['done', 'progress', 'status', 'step']);
    if (progress.done) expect(Object.keys(progress.site).sort()).toEqual(['adminUrl', 'application', 'installed', 'url']);
    await page.getByText(`Your site ${CLUB} is ready`).waitFor({ timeout: 30_000 });

    // Without the visitor's token, the job does not exist.
    for (const headers of [{}, { 'x-signup-token': 'x'.repeat(token.length) }] as Record<string, string>[]) {
      const res = await fetch(`${app.url}/api/signup/${jobId}`, { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }

    // The success page leads somewhere: the site, its admin area, what comes next.
    const ready = page.getByRole('status').filter({ hasText: `Your site ${CLUB} is ready` });
    expect(await ready.getByRole('link', { name: `http://${CLUB}/` }).first().getAttribute('href')).toBe(`http://${CLUB}/`);
    expect(await ready.innerText()).toMatch(/What comes next[\s\S]*installer[\s\S]*welcome mail/i);
    await page.getByRole('status').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await signInAs(VISITOR, page);
    await page.waitForURL((url) => url.pathname === '/my');
    expect(await page.locator('main').innerText()).toContain(CLUB);

    // The site exists on disk, with the connection file the generic profile writes.
    expect(fs.statSync(siteFolder(CLUB)).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(siteFolder(CLUB), 'config', 'mutu.env'))).toBe(true);

    // The admins were told, without any secret in the mail.
    const toAdmin = (m: string) => m.includes(CLUB) && m.includes(`To: ${ADMIN.email}`);
    await expect.poll(() => outboxMails().some(toAdmin), { timeout: 10_000 }).toBe(true);
    const mail = outboxMails().find(toAdmin)!;
    expect(mail).not.toContain(VISITOR.password);
    expect(mail).not.toContain(code);
    expect(mail).not.toMatch(/password\s*[:=]/i);

    // The visitor got their welcome mail: the site's addresses, no password and no link (they chose it).
    await expect.poll(() => outboxMails().some((m) => m.includes(`To: ${VISITOR.email}`)), { timeout: 10_000 }).toBe(true);
    const welcome = outboxMails().find((m) => m.includes(`To: ${VISITOR.email}`));
    expect(welcome).toContain(`Subject: [Mutu] You look after ${CLUB}`);
    expect(welcome).toContain(`http://${CLUB}/`);
    expect(welcome).not.toContain(VISITOR.password);
    expect(welcome).not.toContain('/set-password#');
  });

  it('refuses a second use of the one-use code with the generic message, and creates nothing', async () => {
    const page = await anonymousPage();
    await fillSignup(page, SECOND);
    await alerts(page).first().waitFor();
    expect(await alerts(page).allInnerTexts()).toEqual([GENERIC_CODE_ERROR]);
    expect(await page.getByText('is ready').count()).toBe(0);

    expect(fs.existsSync(siteFolder(SECOND))).toBe(false);
    expect(fs.readdirSync(path.join(farm(), 'sites'))).toEqual([CLUB]);
    await admin.goto('/sites');
    const list = await admin.locator('main').innerText();
    expect(list).toContain(CLUB);
    expect(list).not.toContain(SECOND);
    await admin.goto('/codes');
    await expect.poll(() => admin.getByRole('row').filter({ hasText: 'Chess club' }).innerText()).toMatch(/used up[\s\S]*1 \/ 1/);
  });

  it('refuses sign-ups sent from another site or without an Origin', async () => {
    const body = JSON.stringify({ host: SECOND, email: VISITOR.email, password: VISITOR.password, code });
    for (const headers of [{ origin: 'http://evil.example' }, {}] as Record<string, string>[]) {
      const res = await fetch(`${app.url}/api/signup`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(res.status).toBe(403);
    }
    expect(fs.existsSync(siteFolder(SECOND))).toBe(false);
  });

  it('shows the host rule under the host field when an admin types a bad host', async () => {
    await admin.goto('/sites');
    await admin.getByRole('link', { name: 'New site' }).first().click();
    await admin.waitForURL((url) => url.pathname === '/sites/new');
    await admin.locator('input[name="host"]').fill('bad host/../etc');
    await admin.getByRole('button', { name: 'Create site' }).click();
    await admin.getByText('is not a valid site host').waitFor();
    expect(new URL(admin.url()).pathname).toBe('/sites/new');
    // The shared-database box is off for the embedded SQLite, the default server.
    expect(await admin.locator('input[name="sharedDb"]').isDisabled()).toBe(true);
  });

  it('lets an admin create a site from the dashboard, then destroy it by typing its host', async () => {
    await admin.goto('/sites/new');
    await admin.locator('input[name="host"]').fill(ADMIN_SITE);
    await admin.getByRole('button', { name: 'Create site' }).click();
    expect(await finalJobStatus(admin)).toBe('succeeded');
    expect(await admin.locator('main').innerText()).toContain('site.provision');
    expect(fs.existsSync(siteFolder(ADMIN_SITE))).toBe(true);

    await admin.goto('/sites');
    await admin.getByRole('link', { name: ADMIN_SITE }).click();
    await admin.waitForURL((url) => url.pathname === `/sites/${ADMIN_SITE}`);
    const details = await admin.locator('main').innerText();
    expect(details).toContain(siteFolder(ADMIN_SITE));
    expect(details).toContain(`www.${ADMIN_SITE}`);
    expect(details).toMatch(/embedded/);

    const destroy = admin.getByRole('button', { name: 'Destroy site' });
    expect(await destroy.isDisabled()).toBe(true);
    await admin.locator('input[name="confirm"]').fill(ADMIN_SITE);
    await destroy.click();
    expect(await finalJobStatus(admin)).toBe('succeeded');
    expect(await admin.locator('main').innerText()).toContain('site.destroy');

    expect(fs.existsSync(siteFolder(ADMIN_SITE))).toBe(false);
    const trashed = fs.readdirSync(path.join(farm(), 'trash')).filter((name) => name.startsWith(`${ADMIN_SITE}-`));
    expect(trashed).toHaveLength(1);
    await admin.goto('/sites');
    expect(await admin.locator('main').innerText()).not.toContain(ADMIN_SITE);
  });

  it.skipIf(!services.mysqlUrl)("gives an adopted site a new database password, and keeps its database on destroy unless the box is ticked", async () => {
    const cli = async (args: string[], stdin?: string) => {
      const r = await runCli(args, { env: app.env, stdin, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
    };
    const names = [1, 2].map((n) => `mu_e2e${suffix}_${n}`);
    const root = await mysqlConnect();
    try {
      for (const name of names) {
        await root.query(`CREATE DATABASE ${name}`);
        await root.query("CREATE USER ?@'127.0.0.1' IDENTIFIED BY 'old-farm-password'", [name]);
        await root.query(`GRANT ALL ON ${name}.* TO ?@'127.0.0.1'`, [name]);
      }
      const { port } = mysqlAddress();
      await cli(['servers', 'add', '--name', 'maria', '--engine', 'mysql', '--url', `mysql://root@127.0.0.1:${port}`, '--password-stdin'], mysqlAddress().password);
      await cli(['platforms', 'add', '--name', 'spip-old', '--profile', 'spip', '--path', fs.mkdtempSync(path.join(app.dataDir, 'spip-'))]);
      const hosts = names.map((_, i) => `adopted${i + 1}-${suffix}.example.org`);
      for (const [i, host] of hosts.entries()) {
        writeSpipFolder(host, ['127.0.0.1', String(port), names[i]!, 'old-farm-password', names[i]!, 'mysql', 'spip', '', 'utf8'], path.join(farm(), 'sites'));
        await cli(['sites', 'adopt', '--host', host]);
      }
      const databases = async () => ((await root.query<import('mysql2').RowDataPacket[]>('SHOW DATABASES'))[0]).map((r) => String(r.Database));

      // A new password for the first one, from its page: the farm's old one stops working.
      await admin.goto(`/sites/${hosts[0]}`);
      const card = admin.locator('section').filter({ has: admin.getByRole('heading', { name: 'Database' }) });
      await card.getByRole('button', { name: 'New password' }).click();
      await card.getByRole('link', { name: 'Follow the job →' }).click();
      expect(await finalJobStatus(admin)).toBe('succeeded');
      await expect(mysqlConnect({ user: names[0], password: 'old-farm-password', database: names[0] })).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });

      for (const [i, host] of hosts.entries()) {
        await admin.goto(`/sites/${host}`);
        expect(await admin.locator('main').innerText()).toContain('not Mutu (adopted)');
        const form = admin.getByRole('form', { name: `Destroy ${host}` });
        expect(await form.innerText()).toContain('they are kept unless you tick the box below');
        if (i === 1) await form.getByLabel(`Also drop its database ${names[i]} and user ${names[i]}`).check();
        await form.locator('input[name="confirm"]').fill(host);
        await form.getByRole('button', { name: 'Destroy site' }).click();
        expect(await finalJobStatus(admin)).toBe('succeeded');
        expect(await admin.locator('main').innerText()).toContain(i === 1 ? `dropped the database ${names[i]}` : `kept the database ${names[i]} and the user ${names[i]}`);
      }
      expect((await databases()).filter((d) => names.includes(d))).toEqual([names[0]]);
    } finally {
      for (const name of names) {
        await root.query(`DROP DATABASE IF EXISTS ${name}`);
        await root.query("DROP USER IF EXISTS ?@'127.0.0.1'", [name]);
      }
      await root.end();
    }
  });

  const outboxMails = () => readOutbox(path.join(app.dataDir, 'outbox'));
});
