import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalJobStatus, launchBrowser, signIn } from '../helpers/browser';
import { foreignWordsOn } from '../helpers/catalogue';
import { runCli } from '../helpers/cli';
import { outboxMails } from '../helpers/outbox';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import { PASSWORD_LINK_HOURS } from '@/lib/domain/limits';
import type { Locale } from '@/lib/domain/locale';
import { translatorFor } from '@/lib/i18n/messages';

/*
 * The people around a site, each journey in English and in French: a browser that asks for the
 * language (Accept-Language, as a person's does) and no setting anywhere. The words looked for
 * are the catalogues' (messages/<locale>.json), and no page may show a sentence of the other.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the people test' };
const suffix = crypto.randomBytes(3).toString('hex');
const SITE = `people-${suffix}.example.org`;
const PHONE = { width: 390, height: 844 };
/** A journey signs in two or three times (the app hashes at full cost): near a minute when the machine is busy. */
const JOURNEY_MS = 120_000;
const LANGUAGES: { locale: Locale; browserLocale: string }[] = [
  { locale: 'en', browserLocale: 'en-US' },
  { locale: 'fr', browserLocale: 'fr-FR' },
];
/** One webmaster per language, added to SITE by an admin reading that language. */
const WEBMASTERS = Object.fromEntries(LANGUAGES.map(({ locale }) => [locale, { email: `webmaster-${locale}-${suffix}@example.org`, password: `the ${locale} webmaster chose this one` }]));

describe.skipIf(!services.chromium)('the people around a site, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let runId = '';
  const upgradedTo = `next-${suffix}`;
  const contexts: BrowserContext[] = [];
  const platformDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-people-platform-'));
  const mutu = async (args: string[]) => {
    const r = await runCli(args, { env: app.env, timeoutMs: 120_000 });
    expect(r.code, `mutu ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  const mailsTo = (email: string) => outboxMails(path.join(app.dataDir, 'outbox')).filter((m) => m.includes(`To: ${email}`));
  /** The latest mail to this address once there are `count`, and its Mutu link to choose a password. */
  async function latestLink(email: string, count: number): Promise<{ mail: string; link: string }> {
    await expect.poll(() => mailsTo(email).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
    const mail = mailsTo(email).at(-1)!;
    const link = new RegExp(`${app.url.replace(/[.:/]/g, '\\$&')}/set-password#[A-Za-z0-9_-]{43}`).exec(mail);
    expect(link, mail).not.toBeNull();
    return { mail, link: link![0] };
  }
  /** A fresh browser session (its own cookies); `locale` is the language its browser asks for. */
  async function newPage(opts: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; locale?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, colorScheme: opts.colorScheme ?? 'light', ...(opts.viewport ? { viewport: opts.viewport } : {}), ...(opts.locale ? { locale: opts.locale } : {}) });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    // A site, and a run that upgraded it to another release: every page the journeys open.
    await mutu(['sites', 'create', '--host', SITE]);
    await mutu(['platforms', 'add', '--name', upgradedTo, '--profile', 'generic', '--path', platformDir, '--version', '2.0']);
    const run = await mutu(['upgrade', '--hosts', SITE, '--to', upgradedTo]);
    runId = /Run (\w+):/.exec(run)![1]!;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(platformDir, { recursive: true, force: true });
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

  describe.each(LANGUAGES)('a browser asking for $browserLocale, with no setting', ({ locale, browserLocale }) => {
    const account = translatorFor(locale, 'account');
    const actions = translatorFor(locale, 'actions');
    const jobs = translatorFor(locale, 'jobs');
    const mails = translatorFor(locale, 'mails');
    const my = translatorFor(locale, 'my');
    const runs = translatorFor(locale, 'runs');
    const shell = translatorFor(locale, 'shell');
    const site = translatorFor(locale, 'site');
    const webmaster = WEBMASTERS[locale]!;
    const inBrowser = (viewport?: { width: number; height: number }) => newPage({ locale: browserLocale, viewport });
    const heading = (page: Page) => page.locator('main h1').first().innerText();
    /** The page is in this language: so it says, and no sentence of the other shows. */
    async function inLanguage(page: Page) {
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await foreignWordsOn(page, locale), `${new URL(page.url()).pathname} in ${locale}`).toEqual([]);
    }

    it("the admin's journey: the overview, the sites, a site, a job started there and followed, a run", async () => {
      const admin = await signIn(await inBrowser(), ADMIN);
      expect(new URL(admin.url()).pathname).toBe('/');
      expect(await heading(admin)).toBe(translatorFor(locale, 'overview')('title'));
      await inLanguage(admin);

      const nav = admin.getByRole('navigation', { name: shell('mainNav') });
      await nav.getByRole('link', { name: shell('sections.sites'), exact: true }).click();
      await admin.waitForURL((url) => url.pathname === '/sites');
      expect(await heading(admin)).toBe(translatorFor(locale, 'sites')('title'));
      await inLanguage(admin);
      await admin.locator('main').getByRole('link', { name: SITE, exact: true }).click();
      await admin.waitForURL((url) => url.pathname === `/sites/${SITE}`);
      expect(await heading(admin)).toBe(SITE);
      await inLanguage(admin);

      // A job started from the site's page, followed on its own page to its end.
      await admin.getByRole('button', { name: site('measureNow') }).click();
      await admin.getByRole('status').filter({ hasText: site('confirm.queued') }).getByRole('link', { name: site('confirm.follow') }).click();
      expect(await finalJobStatus(admin, 60_000, locale)).toBe('succeeded');
      await admin.getByRole('link', { name: jobs('back') }).waitFor();
      await inLanguage(admin);
      // The job leads back to its site.
      await admin.locator(`main a[href="/sites/${SITE}"]`).click();
      await admin.waitForURL((url) => url.pathname === `/sites/${SITE}`);

      // The run that upgraded it, from the runs' list, and back to the site from there.
      await nav.getByRole('link', { name: shell('sections.runs') }).click();
      await admin.waitForURL((url) => url.pathname === '/runs');
      await inLanguage(admin);
      await admin.getByRole('table', { name: runs('table.label') }).getByRole('link').first().click();
      await admin.waitForURL((url) => url.pathname === `/runs/${runId}`);
      expect(await heading(admin)).toBe(runs('run.title', { to: upgradedTo }));
      const row = admin.getByRole('table', { name: runs('live.sites') }).locator('tr[data-state="succeeded"]');
      await row.getByRole('link', { name: SITE }).waitFor();
      await inLanguage(admin);
    }, JOURNEY_MS);

    it('a webmaster added by an admin gets the welcome mail, chooses a password through its link, and finds their site', async () => {
      const admin = await signIn(await inBrowser(), ADMIN);
      await admin.goto(`/sites/${SITE}`);
      await admin.locator('#webmaster-email').fill(webmaster.email);
      await admin.getByRole('button', { name: site('webmasters.add'), exact: true }).click();
      await admin.getByRole('status').filter({ hasText: actions('webmasters.addedNew', { email: webmaster.email, host: SITE }) }).waitFor();
      await admin.getByRole('list', { name: site('webmasters.card') }).getByText(webmaster.email).waitFor();

      // The mail is in the admin's language: the new account has chosen none yet.
      const { mail, link } = await latestLink(webmaster.email, 1);
      expect(mailsTo(webmaster.email)).toHaveLength(1);
      expect(mail).toContain(`Subject: ${mails('welcome.subject', { host: SITE })}`);
      for (const line of [mails('hello'), mails('welcome.site', { url: `http://${SITE}/` }), mails('welcome.accountLink', { hours: PASSWORD_LINK_HOURS })]) expect(mail).toContain(line);

      const page = await inBrowser();
      await page.goto(link);
      await page.getByTestId('set-password-for').filter({ hasText: webmaster.email }).waitFor();
      await inLanguage(page);
      await page.locator('#password').fill(webmaster.password);
      await page.locator('#confirm').fill(webmaster.password);
      await page.getByRole('button', { name: account('set.submit') }).click();
      // Setting it signs them in here; from another browser they sign in with it.
      await page.waitForURL((url) => url.pathname === '/my', { timeout: 20_000 });
      expect(await heading(page)).toBe(my('title'));
      const elsewhere = await signIn(await inBrowser(), webmaster);
      await elsewhere.waitForURL((url) => url.pathname === '/my');
      const mine = elsewhere.locator(`section[data-site="${SITE}"]`);
      expect(await mine.getByRole('link', { name: my('visitLabel', { host: SITE }) }).getAttribute('href')).toBe(`http://${SITE}/`);
      expect(await mine.getByRole('link', { name: my('adminLabel', { host: SITE }) }).getAttribute('href')).toBe(`http://${SITE}/`);
      // textContent: the labels are shown in capitals by CSS, which innerText would return.
      const text = (await mine.textContent()) ?? '';
      for (const label of [my('disk'), my('health'), my('lastUpgrade'), translatorFor(locale, 'exports')('title')]) expect(text).toContain(label);
      await inLanguage(elsewhere);

      // The link was spent: opened again, it says so and offers a new one.
      const again = await inBrowser();
      await again.goto(link);
      await again.getByText(account('set.deadLink')).waitFor();
      await again.getByRole('link', { name: account('set.askAgain') }).waitFor();
    }, JOURNEY_MS);

    it('"Forgot password?" answers alike for any address, mails the link in this language, and the link works once', async () => {
      const page = await inBrowser();
      await page.goto('/login');
      await page.getByRole('link', { name: account('forgot.loginLink') }).click();
      await page.waitForURL((url) => url.pathname === '/forgot-password');
      await inLanguage(page);
      const sent = account('forgot.sent', { hours: PASSWORD_LINK_HOURS });
      const nobody = `nobody-${locale}-${suffix}@example.org`;
      await page.locator('#email').fill(nobody);
      await page.getByRole('button', { name: account('forgot.submit') }).click();
      await page.getByRole('status').filter({ hasText: sent }).waitFor();

      const before = mailsTo(webmaster.email).length;
      await page.goto('/forgot-password');
      await page.locator('#email').fill(webmaster.email);
      await page.getByRole('button', { name: account('forgot.submit') }).click();
      await page.getByRole('status').filter({ hasText: sent }).waitFor();
      const { mail, link } = await latestLink(webmaster.email, before + 1);
      expect(mailsTo(nobody)).toEqual([]);
      // In the language of the page it was asked from: the account has chosen none.
      expect(mail).toContain(`Subject: ${mails('reset.subject')}`);
      expect(mail).toContain(mails('reset.choose', { hours: PASSWORD_LINK_HOURS }));

      const newPassword = `a new ${locale} password after forgetting`;
      const first = await inBrowser();
      await first.goto(link);
      await first.locator('#password').fill(newPassword);
      await first.locator('#confirm').fill(newPassword);
      await first.getByRole('button', { name: account('set.submit') }).click();
      await first.waitForURL((url) => url.pathname === '/my', { timeout: 20_000 });

      const second = await inBrowser();
      await second.goto(link);
      await second.getByText(account('set.deadLink')).waitFor();
      await inLanguage(second);
      // The old password is gone; the new one signs in.
      await signIn(await inBrowser(), { email: webmaster.email, password: newPassword });
      webmaster.password = newPassword;
    }, JOURNEY_MS);

    it('at 390 pixels, no page scrolls sideways and the navigation folds into a menu', async () => {
      const admin = await signIn(await inBrowser(PHONE), ADMIN);
      const jobId = (JSON.parse(await mutu(['jobs', 'list', '--json', '--limit', '1'])) as { id: string }[])[0]!.id;
      for (const pathname of ['/', '/sites', `/sites/${SITE}`, `/runs/${runId}`, `/jobs/${jobId}`, '/users', '/audit']) {
        await admin.goto(pathname);
        await admin.locator('main h1').first().waitFor();
        expect(await admin.locator('html').getAttribute('lang')).toBe(locale);
        const { scroll, inner, wide } = await overflow(admin);
        expect(scroll, `${pathname} (${locale}) is ${scroll} px wide in a ${inner} px window: ${wide.join(', ')}`).toBeLessThanOrEqual(inner);
      }

      await admin.goto('/');
      // By its label, not its role: a folded menu is out of the accessibility tree, and must still exist.
      const nav = admin.locator(`nav[aria-label="${shell('mainNav')}"]`);
      await nav.waitFor({ state: 'attached' });
      expect(await nav.isVisible()).toBe(false);
      await admin.getByRole('button', { name: shell('menu'), exact: true }).click();
      await nav.getByRole('link', { name: shell('sections.users') }).click();
      await admin.waitForURL((url) => url.pathname === '/users');
      await expect.poll(() => nav.isVisible()).toBe(false);

      const page = await signIn(await inBrowser(PHONE), webmaster);
      await page.waitForURL((url) => url.pathname === '/my');
      await page.locator(`section[data-site="${SITE}"]`).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      const { scroll, inner, wide } = await overflow(page);
      expect(scroll, `/my (${locale}) is ${scroll} px wide: ${wide.join(', ')}`).toBeLessThanOrEqual(inner);
    }, JOURNEY_MS);
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
      const admin = await signIn(await newPage({ colorScheme: scheme }), ADMIN);
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
