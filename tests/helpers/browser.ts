import { chromium, type Browser } from 'playwright-core';
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
