import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the e2e test' };
const WEBMASTER = { email: 'web@example.org', password: 'webmaster password for e2e' };

describe.skipIf(!services.chromium)('the dashboard in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }), launchBrowser()]);
    const created = await runCli(['users', 'create', '--email', WEBMASTER.email, '--role', 'webmaster', '--password-stdin'], {
      env: app.env,
      stdin: `${WEBMASTER.password}\n`,
    });
    expect(created.code, created.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A fresh browser session (its own cookies) on the login page. */
  async function loginPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    return page;
  }

  async function signIn(user: { email: string; password: string }): Promise<Page> {
    const page = await loginPage();
    await page.locator('input[name="email"]').fill(user.email);
    await page.locator('input[name="password"]').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    return page;
  }

  it('lets the admin sign in and browse the dashboard', async () => {
    const page = await signIn(ADMIN);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Overview');
    expect(await page.locator('nav[aria-label="Main"]').isVisible()).toBe(true);

    for (const [path, heading] of [['/jobs', /jobs/i], ['/audit', /audit/i], ['/users', /users/i], ['/nodes', /nodes/i]] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(await page.locator('h1').textContent(), path).toMatch(heading);
      // innerText: what a person sees (the page's scripts carry the 403 template too).
      expect(await page.locator('body').innerText(), path).not.toMatch(/403|Something went wrong|Application error/);
    }

    // The server's own worker shows on the Nodes page, alive.
    await page.goto('/nodes');
    expect(await page.locator('tr[data-worker]').filter({ hasText: 'alive' }).count()).toBeGreaterThanOrEqual(1);

    await page.goto('/audit');
    const login = page.getByRole('row').filter({ hasText: 'auth.login' }).filter({ hasText: ADMIN.email });
    expect(await login.count()).toBeGreaterThanOrEqual(1);
  });

  it('answers a wrong password with one generic message, and the same for an unknown e-mail', async () => {
    const page = await loginPage();
    for (const email of [ADMIN.email, 'nobody@example.org']) {
      await page.locator('input[name="email"]').fill(email);
      await page.locator('input[name="password"]').fill('not the right password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Next's route announcer is an empty alert region: only alerts with words count.
      const alerts = page.getByRole('alert').filter({ hasText: /\S/ });
      await alerts.first().waitFor();
      expect(await alerts.allInnerTexts()).toEqual(['Wrong e-mail or password.']);
      expect(new URL(page.url()).pathname).toBe('/login');
    }
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/no such user|unknown|not found|locked|attempts/i);
  });

  it('keeps a webmaster out of admin pages and admin route handlers', async () => {
    const page = await signIn(WEBMASTER);
    await page.waitForURL((url) => url.pathname === '/my');
    expect(await page.locator('nav[aria-label="Main"]').count()).toBe(0);

    for (const path of ['/users', '/audit', '/jobs', '/nodes']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      expect(await page.locator('body').innerText(), path).toContain('403');
    }
    // The browser's own session against the API: signed in, but not an admin.
    for (const path of ['/api/jobs', '/api/audit']) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(await response.json(), path).toMatchObject({ error: expect.any(String) });
    }
  });

  it('refuses the API to anonymous callers', async () => {
    const response = await fetch(`${app.url}/api/jobs`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'Sign in first.' });
  });

  it("refuses the admin's state-changing requests that come from a foreign or no Origin", async () => {
    const page = await signIn(ADMIN);
    const cancel = (headers: Record<string, string>) => page.request.post('/api/jobs/x/cancel', { headers });

    const foreign = await cancel({ origin: 'http://evil.example' });
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).error).toMatch(/Origin/);
    const missing = await cancel({});
    expect(missing.status()).toBe(403);
    // The same request from Mutu's own origin gets through the check (and finds no such job).
    const own = await cancel({ origin: app.url });
    expect(own.status()).toBe(404);
  });

  it('answers 403, not a server error, to a form posted without JavaScript from another site', async () => {
    const page = await signIn(ADMIN);
    // The same session in a browser without JavaScript: the form as it is served, with React's hidden fields.
    const noScript = await browser.newContext({ baseURL: app.url, javaScriptEnabled: false, storageState: await page.context().storageState() });
    contexts.push(noScript);
    const plain = await noScript.newPage();
    await plain.goto('/sites/scan');
    const form = plain.locator('form').filter({ has: plain.locator('input[name^="$ACTION"]') }).first();
    const fields: Record<string, string> = {};
    for (const input of await form.locator('input[name]').all()) fields[(await input.getAttribute('name'))!] = (await input.getAttribute('value')) ?? '';
    expect(Object.keys(fields).some((name) => name.startsWith('$ACTION')), JSON.stringify(fields)).toBe(true);

    const post = (origin: string) => noScript.request.post('/sites/scan', { multipart: fields, headers: { origin } });
    const foreign = await post('http://evil.example');
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain('must come from a Mutu page');
    // A name that reaches the same server is no more Mutu's own than any other.
    expect((await post('http://rebound.example:1')).status()).toBe(403);
    // From Mutu's own origin the form goes through (the scan runs: it changes nothing).
    expect((await post(app.url)).status()).toBeLessThan(400);
    // Sign-out, next-auth's own POST from Mutu's page, still works.
    await page.goto('/');
    const csrf = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const signOut = await page.request.post('/api/auth/signout', { form: { csrfToken: csrf.csrfToken, json: 'true' }, headers: { origin: app.url } });
    expect(signOut.status()).toBe(200);
    expect((await page.request.get('/api/jobs')).status()).toBe(401);
  });
});
