import crypto from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillSignup, launchBrowser, signIn } from '../helpers/browser';
import { foreignWordsOn } from '../helpers/catalogue';
import { runCli } from '../helpers/cli';
import { outboxMails } from '../helpers/outbox';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import { translatorFor } from '@/lib/i18n/messages';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the languages test' };
const suffix = crypto.randomBytes(3).toString('hex');
const SITE = `langues-${suffix}.example.org`;
const WEBMASTER = { email: `webmestre-${suffix}@example.org`, password: 'le mot de passe du webmestre' };
/** A visitor per language, each with a browser that asks for it. */
const VISITORS = [
  { locale: 'en', browserLocale: 'en-US', host: `club-${suffix}.example.org`, email: `visitor-${suffix}@example.org`, password: 'the visitor password' },
  { locale: 'fr', browserLocale: 'fr-FR', host: `cercle-${suffix}.example.org`, email: `visiteur-${suffix}@example.org`, password: 'le mot de passe du visiteur' },
] as const;
const NBSP = '\u00a0';

describe.skipIf(!services.chromium)('the interface in French and in English, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let code = '';
  const contexts: BrowserContext[] = [];
  const mutu = async (args: string[], stdin?: string) => {
    const r = await runCli(args, { env: app.env, stdin, timeoutMs: 120_000 });
    expect(r.code, `mutu ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  /** A browser whose language is `locale`: it sends Accept-Language accordingly, as a person's browser does. */
  async function browserIn(locale: 'fr-FR' | 'en-US'): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, locale });
    contexts.push(context);
    return context.newPage();
  }
  const heading = (page: Page) => page.locator('main h1').first().innerText();

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    await mutu(['sites', 'create', '--host', SITE]);
    await mutu(['users', 'create', '--email', WEBMASTER.email, '--password-stdin', '--site', SITE], WEBMASTER.password);
    code = (await mutu(['codes', 'create', '--label', 'Langues', '--uses', String(VISITORS.length)])).trim();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a French browser gets the login page and /create in French with no setting; an English one in English', async () => {
    const fr = await browserIn('fr-FR');
    await fr.goto('/login');
    expect(await fr.locator('html').getAttribute('lang')).toBe('fr');
    expect(await heading(fr)).toBe('Connexion');
    await fr.getByRole('link', { name: 'Mot de passe oublié' }).waitFor();
    await fr.getByRole('link', { name: 'Créez votre site' }).click();
    await fr.waitForURL((url) => url.pathname === '/create');
    expect(await heading(fr)).toBe('Créez votre site');
    await fr.getByLabel('Adresse de votre site').waitFor();
    // The server's own refusals come in French too, with French typography.
    await fr.locator('input[name="host"]').fill(`autre-${suffix}.example.org`);
    await fr.locator('input[name="email"]').fill(`x-${suffix}@example.org`);
    await fr.locator('input[name="password"]').fill('un mot de passe assez long');
    await fr.locator('input[name="code"]').fill('mutu-wrongcode0-' + 'x'.repeat(32));
    await fr.getByRole('button', { name: 'Créer mon site' }).click();
    await fr.getByText(`Ce code d’activation ne peut pas servir ici.`).waitFor();

    const en = await browserIn('en-US');
    await en.goto('/login');
    expect(await en.locator('html').getAttribute('lang')).toBe('en');
    expect(await heading(en)).toBe('Sign in');
    await en.goto('/create');
    expect(await heading(en)).toBe('Create your site');
    await en.getByLabel('Address of your site').waitFor();
  });

  it('the switch on the login page changes the language, and this browser keeps it', async () => {
    const page = await browserIn('en-US');
    await page.goto('/login');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => heading(page)).toBe('Connexion');
    expect(await page.getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
    await page.goto('/create');
    expect(await heading(page)).toBe('Créez votre site');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => heading(page)).toBe('Create your site');
  });

  it('an admin with a French browser gets the overview in French; their own setting wins over the browser', async () => {
    const page = await browserIn('fr-FR');
    await signIn(page, ADMIN);
    expect(await heading(page)).toBe('Vue d’ensemble');
    await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Campagnes de mise à jour' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Activité récente');

    await page.goto('/account/language');
    expect(await heading(page)).toBe('Langue');
    await page.getByLabel('English').check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Language saved.').waitFor();
    await page.goto('/');
    expect(await heading(page)).toBe('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // Back to "as my browser": French again.
    await page.goto('/account/language');
    await page.getByLabel('As my browser').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Langue enregistrée.').waitFor();
    await page.goto('/');
    expect(await heading(page)).toBe('Vue d’ensemble');
  });

  it('a French admin gets the answers of their actions in French too', async () => {
    const page = await browserIn('fr-FR');
    await signIn(page, ADMIN);
    await page.goto(`/sites/${SITE}`);
    const email = `aide-${suffix}@example.org`;
    await page.locator('#webmaster-email').fill(email);
    await page.locator('form:has(#webmaster-email) button[type="submit"]').click();
    await page.getByRole('status').filter({ hasText: `${email} est désormais webmestre de ${SITE} (nouveau compte)${NBSP}; un courriel de bienvenue est en route.` }).waitFor();

    // A refusal of the service itself (the host is taken), said under its field in French.
    await page.goto('/sites/new');
    await page.locator('#site-host').fill(SITE);
    await page.locator('form:has(#site-host) button[type="submit"]').click();
    await page.getByText(`un site nommé ${SITE} existe déjà ou est en cours de création`).waitFor();
  });

  it('a webmaster with a French browser finds their sites in French, sizes and dates the French way', async () => {
    const page = await browserIn('fr-FR');
    await signIn(page, WEBMASTER);
    await page.waitForURL((url) => url.pathname === '/my');
    expect(await heading(page)).toBe('Vos sites');
    const site = page.locator(`section[data-site="${SITE}"]`);
    await site.getByRole('link', { name: `Voir ${SITE} (nouvel onglet)` }).waitFor();
    // textContent: the labels are shown in capitals by CSS, which innerText would return.
    const text = (await site.textContent()) ?? '';
    expect(text).toContain('Espace disque');
    expect(text).toContain('Exports');
    // A date as French readers write it: 23/11/2026 14:05 UTC.
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC/);
    await page.goto(`/sites/${SITE}`);
    // Next may stream the refusal and draw it once the page's scripts run: wait for it, as a reader would.
    await page.getByText('Vous n’avez pas accès à cette page').waitFor();
  });

  it.each(VISITORS)('a visitor whose browser asks for $browserLocale creates their site, is led to it, and gets the welcome mail, all in that language', async ({ locale, browserLocale, ...visitor }) => {
    const create = translatorFor(locale, 'create');
    const mails = translatorFor(locale, 'mails');
    const my = translatorFor(locale, 'my');
    const page = await browserIn(browserLocale);
    await fillSignup(page, { ...visitor, code });
    const status = page.getByRole('status').filter({ hasText: create('ready.title', { host: visitor.host }) });
    await status.waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toContain(create('ready.next'));
    expect(await status.getByRole('link', { name: `http://${visitor.host}/` }).first().getAttribute('href')).toBe(`http://${visitor.host}/`);
    expect(await foreignWordsOn(page, locale)).toEqual([]);

    // Led on to Mutu: signed in, their site's links are there.
    await status.getByRole('link', { name: create('ready.signIn') }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await signIn(page, visitor);
    await page.waitForURL((url) => url.pathname === '/my');
    expect(await heading(page)).toBe(my('title'));
    const site = page.locator(`section[data-site="${visitor.host}"]`);
    expect(await site.getByRole('link', { name: my('visitLabel', { host: visitor.host }) }).getAttribute('href')).toBe(`http://${visitor.host}/`);
    expect(await foreignWordsOn(page, locale)).toEqual([]);

    const mailsTo = () => outboxMails(path.join(app.dataDir, 'outbox')).filter((m) => m.includes(`To: ${visitor.email}`));
    await expect.poll(() => mailsTo().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const mail = mailsTo()[0]!;
    expect(mail).toContain(`Subject: ${mails('welcome.subject', { host: visitor.host })}`);
    for (const line of [mails('hello'), mails('welcome.now', { host: visitor.host }), mails('welcome.site', { url: `http://${visitor.host}/` })]) expect(mail).toContain(line);
  });
});
