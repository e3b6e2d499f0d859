// A real SPIP farm in Chromium: a site made by `mutu sites create` and one made by a visitor on
// /create with an activation code are working SPIP sites, served by the front, whose
// webmasters sign in to SPIP's private area (/ecrire/): the first after choosing a password
// through the link in the mail Mutu sent, the second at once with the password chosen on /create.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frontUnavailable } from '../helpers/front';
import { randomHost, randomPart } from '../helpers/provision';
import { fillSignup } from '../helpers/browser';
import { outboxMails } from '../helpers/outbox';
import { useServedApp } from '../helpers/served-app';
import { services } from '../helpers/services';
import { spipUnavailable, unpackSpip } from '../helpers/spip';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the SPIP test' };
const unavailable = frontUnavailable() ?? spipUnavailable() ?? (services.chromium ? null : 'no Chromium (apt-get install chromium)');

describe.skipIf(!!unavailable)(`SPIP in Chromium: webmasters sign in to the sites Mutu made${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const served = useServedApp(ADMIN);
  const spip41 = `spip-4-1-${randomPart()}`;
  const spip42 = `spip-4-2-${randomPart()}`;
  let server: string;

  beforeAll(async () => {
    await served.cli(['front', 'setup']);
    await served.front.start();
    await served.cli(['platforms', 'add', '--name', spip41, '--profile', 'spip', '--path', unpackSpip('4.1.15'), '--version', '4.1.15']);
    await served.cli(['platforms', 'add', '--name', spip42, '--profile', 'spip', '--path', unpackSpip('4.2.9'), '--version', '4.2.9']);
    // SPIP has no PostgreSQL driver: its sites go to MariaDB when there is one, else SQLite.
    server = services.mysqlUrl ? await served.addServer('mysql') : 'embedded';
  }, 300_000);

  /** SPIP's login form, filled as a person does: the login, then the password (shown by SPIP's JavaScript once the login is known, where it hides it). */
  async function signInToSpip(page: Page, host: string, who: { email: string; password: string }) {
    await page.goto(`http://${host}/ecrire/`);
    await page.waitForURL((url) => url.searchParams.get('page') === 'login');
    await page.locator('#var_login').waitFor({ timeout: 15_000 }).catch(async () => {
      throw new Error(`no SPIP login form at ${page.url()}; SPIP answered: ${(await page.content()).slice(0, 1500)}`);
    });
    await page.locator('#var_login').fill(who.email);
    await page.locator('#var_login').press('Tab');
    await page.locator('#password').waitFor({ state: 'visible' });
    await page.locator('#password').fill(who.password);
    await page.locator('#formulaire_login [type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/ecrire/' && !url.searchParams.has('page'), { timeout: 30_000 });
  }

  /** What shows a signed-in author is in SPIP's private area: its menu with the author, and the way out. */
  async function expectPrivateArea(page: Page, who: { email: string }) {
    expect(new URL(page.url()).pathname).toBe('/ecrire/');
    const text = await page.locator('body').innerText();
    expect(text, text.slice(0, 2000)).toContain(who.email);
    expect(await page.locator('a[href*="action=logout"]').count()).toBeGreaterThan(0);
  }

  it('a site made by `mutu sites create`: its webmaster chooses a password through the mailed link, then signs in to /ecrire/', async () => {
    // SPIP 4.2: the form behind SPIP's set-password link is in its core from 4.2 on (4.1 has it
    // in squelettes-dist, which these core-only releases lack: see ../shared/spip/README).
    const host = served.trackHost(randomHost('spipcli'));
    const webmaster = { email: `wm-${randomPart()}@example.org`, password: 'a SPIP password 4 the webmaster' };
    const out = await served.cli(['sites', 'create', '--host', host, '--platform', spip42, '--server', server, '--webmaster', webmaster.email]);
    expect(out).toContain(`SPIP installed for ${host}`);

    const mails = outboxMails(path.join(served.app.dataDir, 'outbox'));
    const mail = mails.find((m) => m.includes(`To: ${webmaster.email}`) && m.includes('page=spip_pass'));
    expect(mail, mails.join('\n----\n')).toBeDefined();
    const link = new RegExp(`http://${host.replace(/\./g, '\\.')}/spip\\.php\\?page=spip_pass&p=[^\\s"<>]+`).exec(mail!)![0];

    const page = await served.newPage();
    await page.goto(link);
    await page.locator('#oubli').fill(webmaster.password);
    await page.locator('#oubli_confirm').fill(webmaster.password);
    await page.locator('#oubli_form [type="submit"]').click();
    await page.locator('.formulaire_mot_de_passe .reponse_formulaire_ok').waitFor();
    // SPIP signs them in there and then; later, in another browser, they sign in with it.
    await page.goto(`http://${host}/ecrire/`);
    await expectPrivateArea(page, webmaster);

    const later = await served.newPage();
    await signInToSpip(later, host, webmaster);
    await expectPrivateArea(later, webmaster);
  });

  it('a site made by a visitor on /create with a code: its webmaster signs in to /ecrire/ at once with the password they chose', async () => {
    const code = (await served.cli(['codes', 'create', '--label', 'SPIP club', '--uses', '1', '--platform', spip41])).trim();
    const host = served.trackHost(randomHost('spipweb'));
    const visitor = { email: `club-${randomPart()}@example.org`, password: 'the visitor chose this password' };

    const page = await served.newPage();
    await fillSignup(page, { host, code, ...visitor });
    await page.getByText(`Your site ${host} is ready`).waitFor({ timeout: 120_000 });

    await signInToSpip(page, host, visitor);
    await expectPrivateArea(page, visitor);
  });
});
