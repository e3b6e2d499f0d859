import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { services } from './services';
import type { Locale } from '@/lib/domain/locale';
import { translatorFor } from '@/lib/i18n/messages';

/** Debian's chromium, headless, with nothing that phones home. Never a downloaded browser. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!services.chromium) throw new Error('no Chromium: apt-get install chromium, or set MUTU_TEST_CHROMIUM');
  return chromium.launch({
    executablePath: services.chromium,
    headless: true,
    // English unless a test asks for another language (newContext({ locale })): the texts the tests look for.
    args: ['--lang=en-US', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

/** Signs in on the login page, as a person does, and waits to be let in. In any language: the form's one submit button. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<Page> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}

/** The job page's status once the job is over (the page follows it live), as its key: 'succeeded', 'failed' or 'cancelled'. */
export async function finalJobStatus(page: Page, timeoutMs = 60_000, locale: Locale = 'en'): Promise<string> {
  await page.waitForURL((url) => url.pathname.startsWith('/jobs/'));
  const label = translatorFor(locale, 'status');
  const ends = new Map(['succeeded', 'failed', 'cancelled'].map((status) => [label('label', { status }), status]));
  const badge = page.locator('main section header h2 span span').first();
  await expect.poll(async () => (await badge.textContent())?.trim(), { timeout: timeoutMs, interval: 250 }).toBeOneOf([...ends.keys()]);
  return ends.get((await badge.textContent())!.trim())!;
}

/** Fills and sends the public /create form, as a visitor holding an activation code does, in any language. */
export async function fillSignup(page: Page, visitor: { host: string; email: string; password: string; code: string }) {
  await page.goto('/create');
  await page.locator('input[name="host"]').fill(visitor.host);
  await page.locator('input[name="email"]').fill(visitor.email);
  await page.locator('input[name="password"]').fill(visitor.password);
  await page.locator('input[name="code"]').fill(visitor.code);
  await page.locator('form:has(input[name="code"]) button[type="submit"]').click();
}
