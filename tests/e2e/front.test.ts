// Every site answers, end to end: the real app (as root) sets up a real nginx and PHP-FPM, an
// admin makes three sites on the test PHP application from the dashboard (SQLite, MariaDB,
// PostgreSQL), and Chromium visits each through the front: its own database's row, www.
// redirected, 503 while disabled from its page, 200 again once enabled, up on the overview.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureApp, frontUnavailable } from '../helpers/front';
import { availableEngines, randomHost, randomPart, type Engine } from '../helpers/provision';
import { siteSql } from '../helpers/export-sites';
import { finalJobStatus } from '../helpers/browser';
import { useServedApp } from '../helpers/served-app';
import { services } from '../helpers/services';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the front test' };
const unavailable = frontUnavailable() ?? (services.chromium ? null : 'no Chromium (apt-get install chromium)');
const engines = availableEngines();
const missing = (['mysql', 'postgresql'] as Engine[]).filter((e) => !engines.includes(e));

describe.skipIf(!!unavailable)(`the front in Chromium: sites served by nginx and PHP-FPM${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const served = useServedApp(ADMIN);
  const sites = new Map<Engine, string>();
  let admin: Page;
  let visitor: Page;
  let platform = '';

  beforeAll(async () => {
    if (missing.length) console.log(`front e2e: no ${missing.join(' or ')} server here, so no site on it (tests/run.js says why)`);
    admin = await served.signedIn(ADMIN);
    visitor = await served.newPage();
    platform = `php-app-${randomPart()}`;
    await served.cli(['platforms', 'add', '--name', platform, '--profile', 'generic', '--path', copyFixtureApp('php-app', '1'), '--version', '1']);
  }, 300_000);

  /** The site's own answer in the browser: the test application prints what it found, as JSON. */
  async function visit(url: string) {
    const response = await visitor.goto(url);
    return { status: response!.status(), text: await visitor.locator('body').innerText(), url: visitor.url() };
  }

  it('says on the overview that sites are not served yet, until `mutu front setup` runs', async () => {
    await admin.goto('/');
    await admin.getByText('Sites are not served yet').waitFor();
    expect(await admin.locator('main').innerText()).toContain('mutu front setup');

    const setup = await served.cli(['front', 'setup']);
    expect(setup).toContain('Written and checked (nginx -t, php-fpm -t)');
    await served.front.start();
    expect(await served.cli(['front', 'status'])).toContain('in sync:   yes');

    await admin.reload();
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await admin.getByText('Sites are not served yet').count()).toBe(0);
  });

  it('creates a site on each engine from the New site form', async () => {
    const servers: Record<Engine, string> = { sqlite: 'embedded', mysql: '', postgresql: '' };
    for (const engine of engines) if (engine !== 'sqlite') servers[engine] = await served.addServer(engine);
    for (const engine of engines) {
      const host = served.trackHost(randomHost(engine.slice(0, 5)));
      await admin.goto('/sites/new');
      await admin.locator('input[name="host"]').fill(host);
      await admin.locator('#site-platform').selectOption(platform);
      await admin.locator('#site-server').selectOption(servers[engine]);
      await admin.getByRole('button', { name: 'Create site' }).click();
      expect(await finalJobStatus(admin), await admin.locator('main').innerText()).toBe('succeeded');
      // The log follows the job: its last lines may arrive after the status.
      // The files lookup (nginx's js module installed): the site's host files need no nginx reload.
      await admin.getByText(/^front: 1 file written and checked, PHP-FPM 8\.2 reloaded$/).waitFor();
      await admin.getByText(/^front: 2 host files written \(read by nginx at each request: no reload\)$/).waitFor();
      sites.set(engine, host);
    }
    // Each site's application finds a row of its own in its own database.
    const { db } = await import('@/lib/db/client');
    const { siteDbAccess } = await import('@/lib/databases/site-access');
    for (const [engine, host] of sites) {
      const a = await siteDbAccess((await db.site.findUniqueOrThrow({ where: { host } })).id);
      const table = `${a.tablePrefix ? `${a.tablePrefix}_` : ''}articles`;
      await siteSql(a, [`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, titre VARCHAR(100))`, `INSERT INTO ${table} (id, titre) VALUES (1, 'hello from ${engine} at ${host}')`]);
    }
  }, 180_000);

  it.skipIf(!engines.includes('postgresql'))('offers a SPIP platform only the servers SPIP can use, and refuses PostgreSQL under the server field, making nothing', async () => {
    const spip = `spip-${randomPart()}`;
    await served.cli(['platforms', 'add', '--name', spip, '--profile', 'spip', '--path', copyFixtureApp('spip-shaped', '1'), '--version', '1']);
    await admin.goto('/sites/new');
    const server = admin.locator('#site-server');
    await server.selectOption('pg');
    await admin.locator('#site-platform').selectOption(spip);
    // The server follows the platform; PostgreSQL stays in the list, greyed out, and the field says why.
    expect(await server.inputValue()).not.toBe('pg');
    expect(await server.locator('option[value="pg"]').isDisabled()).toBe(true);
    await admin.getByText('SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver).').waitFor();
    // A form sent anyway (a page from before, a crafted request) is refused under the server field.
    const host = served.trackHost(randomHost('spippg'));
    await admin.locator('input[name="host"]').fill(host);
    await server.evaluate((el) => el.querySelector('option[value="pg"]')!.removeAttribute('disabled'));
    await server.selectOption('pg');
    await admin.getByRole('button', { name: 'Create site' }).click();
    await admin.getByText('SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver): choose a MariaDB/MySQL or SQLite server').waitFor();
    expect(new URL(admin.url()).pathname).toBe('/sites/new');
    const { db } = await import('@/lib/db/client');
    expect(await db.site.findUnique({ where: { host } })).toBeNull();
  });

  it('serves each site through nginx with its own database’s row, run as its own Unix user', async () => {
    const users = new Set<string>();
    for (const [engine, host] of sites) {
      const r = await visit(`http://${host}/`);
      expect(r.status, r.text + served.front.fpmLog().slice(-2000)).toBe(200);
      const found = JSON.parse(r.text) as Record<string, string>;
      expect(found).toMatchObject({ app: 'php-app', host, engine, row: `hello from ${engine} at ${host}`, wrote: 'data/visit.txt' });
      expect(found.user).toMatch(/^mu-/);
      users.add(found.user!);
    }
    expect(users.size).toBe(sites.size);
  });

  it('redirects www. to the site, path and query kept', async () => {
    for (const host of sites.values()) {
      const r = await visit(`http://www.${host}/some/page?x=1`);
      expect(r.url).toBe(`http://${host}/some/page?x=1`);
      expect(JSON.parse(r.text)).toMatchObject({ host });
      const plain = await served.front.get(`www.${host}`, '/some/page?x=1');
      expect(plain.status).toBe(301);
      expect(plain.headers.location).toBe(`http://${host}/some/page?x=1`);
    }
  });

  it('answers 503 with the maintenance page once disabled from the site page, and 200 again once enabled', async () => {
    const host = sites.get('sqlite')!;
    await admin.goto(`/sites/${host}`);
    // Disabling asks for the host again, as destroying does.
    await admin.getByRole('button', { name: 'Disable…', exact: true }).click();
    await admin.getByRole('form', { name: `Disable ${host}?` }).getByLabel(`Type ${host} to confirm`).fill(host);
    await admin.getByRole('button', { name: 'Disable', exact: true }).click();
    await admin.getByRole('button', { name: 'Enable', exact: true }).waitFor();
    const closed = await visit(`http://${host}/`);
    expect(closed.status).toBe(503);
    expect(closed.text).toContain('This site is under maintenance. Please come back later.');
    expect(closed.text).not.toContain('hello from');

    await admin.getByRole('button', { name: 'Enable', exact: true }).click();
    await admin.getByRole('button', { name: 'Disable…', exact: true }).waitFor();
    const open = await visit(`http://${host}/`);
    expect(open.status).toBe(200);
    expect(JSON.parse(open.text)).toMatchObject({ host, row: `hello from sqlite at ${host}` });
  });

  it('checks their health through the front, and the overview shows them up', async () => {
    await admin.goto('/sites');
    await admin.getByLabel('Select all sites on this page').check();
    const bar = admin.getByRole('region', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Check health' }).click();
    await bar.getByRole('link', { name: 'Follow the job →' }).click();
    expect(await finalJobStatus(admin)).toBe('succeeded');

    await admin.goto('/');
    const health = admin.locator('section').filter({ has: admin.getByRole('heading', { name: 'Health', exact: true }) });
    const text = await health.innerText();
    expect(text).toMatch(new RegExp(`Up\\s*${sites.size}\\b`, 'i')); // the labels are upper case on screen
    expect(text).toContain('Every probed site answers.');
    expect(await admin.getByText('Sites are not served yet').count()).toBe(0);
    for (const host of sites.values()) {
      await admin.goto(`/sites/${host}`);
      const card = admin.locator('section').filter({ has: admin.getByRole('heading', { name: 'Health', exact: true }) });
      expect(await card.innerText()).toMatch(/up[\s\S]*200/i);
    }
  });
});
