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
  async function newPage(viewport?: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, colorScheme, ...(viewport ? { viewport } : {}) });
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

  /**
   * The visible text whose contrast with what is behind it is under 4.5:1 (WCAG AA), the worst
   * first. Colours are resolved by a canvas (Tailwind's are oklch), translucent ones blended
   * over what is behind them; large text (24 px, or 18.66 px bold) needs 3:1.
   */
  const lowContrast = (page: Page) =>
    page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
      const rgba = (color: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000';
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
        return [r!, g!, b!, a! / 255] as const;
      };
      const over = (top: readonly [number, number, number, number], under: readonly [number, number, number]) =>
        [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])) as [number, number, number];
      const background = (e: Element | null): [number, number, number] => {
        const layers: (readonly [number, number, number, number])[] = [];
        for (let a = e; a; a = a.parentElement) {
          const bg = rgba(getComputedStyle(a).backgroundColor);
          if (bg[3] > 0) layers.push(bg);
          if (bg[3] >= 1) break;
        }
        let under: [number, number, number] = layers.length && layers.at(-1)![3] >= 1 ? [layers.at(-1)![0], layers.at(-1)![1], layers.at(-1)![2]] : [255, 255, 255];
        for (const layer of layers.slice(0, layers.at(-1)?.[3] === 1 ? -1 : undefined).reverse()) under = over(layer, under);
        return under;
      };
      const luminance = (c: readonly number[]) =>
        [0, 1, 2].map((i) => c[i]! / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i]!, 0);
      const found: { ratio: number; text: string }[] = [];
      for (const e of document.querySelectorAll('body *')) {
        const text = [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
        if (!text || !(e as HTMLElement).offsetParent || (e as HTMLElement).closest('[aria-hidden="true"], [aria-disabled], :disabled, .sr-only')) continue;
        const style = getComputedStyle(e);
        const bg = background(e);
        const ratio = ((a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05))(luminance(over(rgba(style.color), bg)), luminance(bg));
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) found.push({ ratio: Math.round(ratio * 100) / 100, text: `${e.tagName.toLowerCase()} "${text.slice(0, 40)}"` });
      }
      return found.sort((a, b) => a.ratio - b.ratio).slice(0, 8);
    });

  it('keeps text at 4.5:1 contrast or more, in the light and the dark theme', async () => {
    const jobId = (JSON.parse(await mutu(['jobs', 'list', '--json', '--limit', '1'])) as { id: string }[])[0]!.id;
    const low: Record<string, Awaited<ReturnType<typeof lowContrast>>> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const admin = await signIn(await newPage(undefined, scheme), ADMIN);
      // The theme follows the system's: the dark one really is dark.
      expect(await admin.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches && getComputedStyle(document.documentElement).colorScheme)).toBe(scheme === 'dark' ? 'dark' : false);
      for (const pathname of ['/', '/sites', `/sites/${SITE}`, `/runs/${runId}`, `/jobs/${jobId}`, '/users', '/audit', '/codes']) {
        await admin.goto(pathname);
        await admin.locator('main h1').first().waitFor();
        const found = await lowContrast(admin);
        if (found.length) low[`${pathname} (${scheme})`] = found;
      }
    }
    expect(low).toEqual({});
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
