import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { outboxMails } from '../helpers/outbox';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import { PASSWORD_LINK_HOURS } from '@/lib/domain/limits';
import { translatorFor } from '@/lib/i18n/messages';

const account = translatorFor('en', 'account');

const ADMIN = { email: 'admin@example.org', password: 'admin password for the people test' };
const suffix = crypto.randomBytes(3).toString('hex');
const SITE = `people-${suffix}.example.org`;
const WEBMASTER = { email: `webmaster-${suffix}@example.org`, password: 'the webmaster chose this one' };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!services.chromium)('the people around a site, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let runId = '';
  const contexts: BrowserContext[] = [];
  const platformDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-people-platform-'));
  const mutu = async (args: string[]) => {
    const r = await runCli(args, { env: app.env, timeoutMs: 120_000 });
    expect(r.code, `mutu ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  const mailsTo = (email: string) => outboxMails(path.join(app.dataDir, 'outbox')).filter((m) => m.includes(`To: ${email}`));
  /** The Mutu link to choose a password in the latest such mail to this address. */
  async function latestLink(email: string, count: number): Promise<string> {
    await expect.poll(() => mailsTo(email).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
    const mail = mailsTo(email).at(-1)!;
    const link = new RegExp(`${app.url.replace(/[.:/]/g, '\\$&')}/set-password#[A-Za-z0-9_-]{43}`).exec(mail);
    expect(link, mail).not.toBeNull();
    return link![0];
  }
  async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, ...(viewport ? { viewport } : {}) });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    // A site, and a run that upgraded it to another release: every page the phone test opens.
    await mutu(['sites', 'create', '--host', SITE]);
    await mutu(['platforms', 'add', '--name', `next-${suffix}`, '--profile', 'generic', '--path', platformDir, '--version', '2.0']);
    const run = await mutu(['upgrade', '--hosts', SITE, '--to', `next-${suffix}`]);
    runId = /Run (\w+):/.exec(run)![1]!;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(platformDir, { recursive: true, force: true });
  });

  it('a webmaster added by an admin gets the welcome mail, chooses a password through its link, and finds their site', async () => {
    const admin = await signIn(await newPage(), ADMIN);
    await admin.goto(`/sites/${SITE}`);
    await admin.locator('#webmaster-email').fill(WEBMASTER.email);
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: `${WEBMASTER.email} is now a webmaster of ${SITE}` }).waitFor();
    await admin.getByRole('list', { name: 'Webmasters' }).getByText(WEBMASTER.email).waitFor();

    const link = await latestLink(WEBMASTER.email, 1);
    const mail = mailsTo(WEBMASTER.email)[0]!;
    expect(mail).toContain(`Subject: [Mutu] You look after ${SITE}`);
    expect(mail).toContain(`The site: http://${SITE}/`);
    expect(mail).toContain(`within ${PASSWORD_LINK_HOURS} hours`);

    const page = await newPage();
    await page.goto(link);
    await page.getByTestId('set-password-for').filter({ hasText: WEBMASTER.email }).waitFor();
    await page.locator('#password').fill(WEBMASTER.password);
    await page.locator('#confirm').fill(WEBMASTER.password);
    await page.getByRole('button', { name: account('set.submit') }).click();
    await page.waitForURL((url) => url.pathname === '/my', { timeout: 20_000 });
    const site = page.locator(`section[data-site="${SITE}"]`);
    expect(await site.getByRole('link', { name: `Visit ${SITE} (new tab)` }).getAttribute('href')).toBe(`http://${SITE}/`);
    expect(await site.getByRole('link', { name: `Admin area of ${SITE} (new tab)` }).getAttribute('href')).toBe(`http://${SITE}/`);
    const text = await site.innerText();
    expect(text).toMatch(/Disk use[\s\S]*Health[\s\S]*Last upgrade/i);
    expect(text).toContain('Exports');

    // The link was spent: opened again, it says so and offers a new one.
    const again = await newPage();
    await again.goto(link);
    await again.getByText(account('set.deadLink')).waitFor();
    await again.getByRole('link', { name: account('set.askAgain') }).waitFor();
  });

  it('"Forgot password?" answers alike for any address, and its link works once', async () => {
    const page = await newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: account('forgot.loginLink') }).click();
    await page.waitForURL((url) => url.pathname === '/forgot-password');
    const sent = account('forgot.sent', { hours: PASSWORD_LINK_HOURS });
    await page.locator('#email').fill(`nobody-${suffix}@example.org`);
    await page.getByRole('button', { name: account('forgot.submit') }).click();
    await page.getByRole('status').filter({ hasText: sent }).waitFor();

    const before = mailsTo(WEBMASTER.email).length;
    await page.goto('/forgot-password');
    await page.locator('#email').fill(WEBMASTER.email);
    await page.getByRole('button', { name: account('forgot.submit') }).click();
    await page.getByRole('status').filter({ hasText: sent }).waitFor();
    const link = await latestLink(WEBMASTER.email, before + 1);
    expect(mailsTo(`nobody-${suffix}@example.org`)).toEqual([]);

    const newPassword = 'a new password after forgetting';
    const first = await newPage();
    await first.goto(link);
    await first.locator('#password').fill(newPassword);
    await first.locator('#confirm').fill(newPassword);
    await first.getByRole('button', { name: account('set.submit') }).click();
    await first.waitForURL((url) => url.pathname === '/my', { timeout: 20_000 });

    const second = await newPage();
    await second.goto(link);
    await second.getByText(account('set.deadLink')).waitFor();
    // The old password is gone; the new one signs in.
    await signIn(await newPage(), { email: WEBMASTER.email, password: newPassword });
    WEBMASTER.password = newPassword;
  });

  /** Whether the page scrolls sideways: its content wider than the window (and, to fix it, the widest culprits). */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const inner = window.innerWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => {
          if (e.getBoundingClientRect().right <= inner + 1 || [...e.children].some((c) => c.getBoundingClientRect().right > inner + 1)) return false;
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
          return true;
        })
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).slice(0, 60)} (${Math.round(e.getBoundingClientRect().right)} px)`);
      return { scroll: document.documentElement.scrollWidth, inner, wide };
    });

  it('at 390 pixels, no page scrolls sideways and the navigation folds into a menu', async () => {
    const admin = await signIn(await newPage(PHONE), ADMIN);
    const jobId = (JSON.parse(await mutu(['jobs', 'list', '--json', '--limit', '1'])) as { id: string }[])[0]!.id;
    // In French too: its words are longer.
    for (const locale of ['en', 'fr']) {
      await admin.context().addCookies([{ name: 'mutu-locale', value: locale, url: app.url }]);
      for (const pathname of ['/', '/sites', `/sites/${SITE}`, `/runs/${runId}`, `/jobs/${jobId}`, '/users', '/audit']) {
        await admin.goto(pathname);
        await admin.locator('main h1').first().waitFor();
        expect(await admin.locator('html').getAttribute('lang')).toBe(locale);
        const { scroll, inner, wide } = await overflow(admin);
        expect(scroll, `${pathname} (${locale}) is ${scroll} px wide in a ${inner} px window: ${wide.join(', ')}`).toBeLessThanOrEqual(inner);
      }
    }
    await admin.context().addCookies([{ name: 'mutu-locale', value: 'en', url: app.url }]);
    await admin.goto('/');

    const nav = admin.locator('nav[aria-label="Main"]');
    expect(await nav.isVisible()).toBe(false);
    await admin.getByRole('button', { name: 'Menu', exact: true }).click();
    await nav.getByRole('link', { name: 'Users' }).click();
    await admin.waitForURL((url) => url.pathname === '/users');
    await expect.poll(() => nav.isVisible()).toBe(false);

    const webmaster = await signIn(await newPage(PHONE), WEBMASTER);
    for (const locale of ['en', 'fr']) {
      await webmaster.context().addCookies([{ name: 'mutu-locale', value: locale, url: app.url }]);
      await webmaster.goto('/my');
      await webmaster.locator(`section[data-site="${SITE}"]`).waitFor();
      const { scroll, inner, wide } = await overflow(webmaster);
      expect(scroll, `/my (${locale}) is ${scroll} px wide: ${wide.join(', ')}`).toBeLessThanOrEqual(inner);
    }
  });

  it('has a skip link first, and a favicon', async () => {
    const page = await signIn(await newPage(), ADMIN);
    await page.goto('/sites');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toMatch(/favicon\.svg/);
    const res = await page.request.get(icon!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('svg');
  });
});
