import { chromium, type Browser, type Page } from 'playwright-core';
import { services } from './services';

/** Debian's chromium, headless, with nothing that phones home. Never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  if (!services.chromium) throw new Error('no Chromium: apt-get install chromium, or set MUTU_TEST_CHROMIUM');
  return chromium.launch({
    executablePath: services.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Signs in on the login page, as a person does, and waits to be let in. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<Page> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}
