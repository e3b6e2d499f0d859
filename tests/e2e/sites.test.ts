import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import type { SeededFarm } from '../fixtures/seed-sites';
import { waitFor } from '../fixtures/wait';
import { formatBytes } from '@/lib/domain/format';
import { matchesPattern } from '@/lib/domain/pattern';

/*
 * The sites dashboard as an admin uses it, in Chromium, against the real app (`mutu start`)
 * whose registry holds a few thousand seeded sites: search, filters, sorting, paging, a view
 * kept in the URL, bulk actions, the site page, and a folder dropped by hand then adopted.
 * Set MUTU_E2E_SHOTS to a folder to keep full-page screenshots of each screen.
 */

const ADMIN = { email: 'admin@example.org', password: 'admin password for the sites test' };
const SITES = 3000;
const PER_PAGE = 50;
const SHOTS = process.env.MUTU_E2E_SHOTS;
const suffix = crypto.randomBytes(3).toString('hex');

describe.skipIf(!services.chromium)('the sites dashboard in Chromium, with thousands of sites', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let farm: SeededFarm;
  let db: typeof import('@/lib/db/client').db;

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      // Health probes go to a closed local port: answered at once ("down"), never out to the network.
      startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1', MUTU_HEALTH_TIMEOUT_SECONDS: '2' } }),
      launchBrowser(),
    ]);
    // This process writes straight into the server's registry (its configuration is read on first use).
    for (const k of Object.keys(process.env)) if (k.startsWith('MUTU_') && !k.startsWith('MUTU_TEST_')) delete process.env[k];
    process.env.MUTU_DATA_DIR = app.dataDir;
    ({ db } = await import('@/lib/db/client'));

    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    await signIn(page, ADMIN);
  }, 300_000);

  afterAll(async () => {
    const { disconnectDb } = await import('@/lib/db/client');
    await disconnectDb();
    await browser?.close();
    await app?.stop();
  });

  const shot = async (name: string) => {
    if (!SHOTS) return;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}-top.png`) });
  };
  const rowHosts = () => page.locator('tbody tr[data-host]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.host!));
  const summary = () => page.getByRole('navigation', { name: 'Pages' }).locator('p').innerText();
  const param = (name: string) => new URL(page.url()).searchParams.get(name);
  const plural = (n: number) => `${n.toLocaleString('en')} site${n === 1 ? '' : 's'}`;

  it('says what to do on an empty farm', async () => {
    await page.goto('/sites');
    expect(await page.getByText('No sites yet', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'scan the farm', exact: true }).getAttribute('href')).toBe('/sites/scan');
    await shot('sites-empty');
    await page.goto('/');
    expect(await page.locator('main').innerText()).toContain('No sites yet');
    expect(await page.locator('main svg[role="img"]').count()).toBe(0);
    await shot('overview-empty');
  });

  describe('with thousands of sites', () => {
    beforeAll(async () => {
      // The worker's first scheduled measure and probe run at start-up: let them finish on the
      // empty farm, or they would overwrite the seeded sizes and health.
      await waitFor(
        'the start-up measure and health jobs',
        async () => (await db.job.count({ where: { kind: { in: ['sites.measure', 'sites.health'] }, status: 'succeeded' } })) === 2,
        30_000,
        200,
      );
      const { seedSites } = await import('../fixtures/seed-sites');
      farm = await seedSites({ count: SITES });
    }, 120_000);

    it('narrows the list as a host is typed, and keeps the search in the URL', async () => {
      await page.goto('/sites');
      expect(await summary()).toBe(`Page 1 of ${SITES / PER_PAGE}, ${plural(SITES)}`);
      expect(await rowHosts()).toHaveLength(PER_PAGE);
      await shot('sites-list');

      const target = farm.hosts[1234]!; // team-154.club.example.org
      await page.locator('#site-search').pressSequentially('team-154.', { delay: 40 });
      // 'team-154' alone already narrows to the target: wait for the URL to catch up with the last key too.
      await expect.poll(() => param('q'), { timeout: 10_000 }).toBe('team-154.');
      await expect.poll(rowHosts, { timeout: 10_000 }).toEqual([target]);
      expect(await summary()).toBe(`Page 1 of 1, ${plural(1)}`);
      // The row's links: its page here, the site and its application's admin in a new tab.
      const { platform } = await db.site.findUniqueOrThrow({ where: { host: target }, include: { platform: true } });
      const row = page.locator(`tr[data-host="${target}"]`);
      expect(await row.getByRole('link', { name: target, exact: true }).getAttribute('href')).toBe(`/sites/${target}`);
      expect(await row.getByRole('link', { name: 'Visit ↗' }).getAttribute('href')).toBe(`http://${target}/`);
      expect(await row.getByRole('link', { name: 'Admin ↗' }).getAttribute('href')).toBe(`http://${target}${platform.profile === 'spip' ? '/ecrire/' : '/'}`);

      await page.locator('#site-search').fill('*.club.*');
      const clubs = farm.hosts.filter((h) => matchesPattern(h, '*.club.*'));
      await expect.poll(summary, { timeout: 10_000 }).toBe(`Page 1 of ${Math.ceil(clubs.length / PER_PAGE)}, ${plural(clubs.length)}`);
      expect(param('q')).toBe('*.club.*');
      expect(await rowHosts()).toEqual([...clubs].sort().slice(0, PER_PAGE));

      await page.locator('#site-search').fill('no-such-site');
      await page.getByText('No site matches these filters', { exact: true }).waitFor();
      await shot('sites-no-match');
      await page.getByRole('link', { name: 'Clear filters' }).first().click();
      await page.waitForURL((url) => url.search === '');
      await expect.poll(() => page.locator('#site-search').inputValue()).toBe('');
      expect(await rowHosts()).toHaveLength(PER_PAGE);
    });

    it("sends each row once: its markup, and only its values in React's payload", async () => {
      await page.goto('/sites');
      const [host] = await rowHosts();
      // The document as the browser got it: markup, then React's payload in its scripts.
      const html = await page.evaluate(async () => (await fetch('/sites')).text());
      const title = `Visit http://${host}/ (new tab)`;
      expect(await page.locator(`tr[data-host="${host}"]`).getByRole('link', { name: 'Visit ↗' }).getAttribute('title')).toBe(title);
      expect(html.split(title).length - 1, 'the row drawn once, not described again').toBe(1);
    });

    it('reports a bad value in the URL and keeps the rest of the view', async () => {
      await page.goto('/sites?q=team-15&sort=size&perPage=100');
      const alert = page.getByRole('alert').filter({ hasText: /\S/ });
      expect(await alert.innerText()).toMatch(/not understood[\s\S]*sort/);
      const teams = farm.hosts.filter((h) => h.includes('team-15')).sort();
      expect(await rowHosts()).toEqual(teams.slice(0, 100));
    });

    it('filters by status, sorts by disk use, pages to the end, and gives the same view on reload', async () => {
      await page.goto('/sites');
      await page.locator('#f-status').selectOption('active');
      await page.waitForURL((url) => url.searchParams.get('status') === 'active');
      const diskHeader = page.getByRole('columnheader', { name: /Disk/ }).getByRole('link');
      await expect.poll(() => diskHeader.getAttribute('href')).toBe('/sites?status=active&sort=disk');
      await diskHeader.click();
      await page.waitForURL((url) => url.searchParams.get('sort') === 'disk');

      const active = await db.site.findMany({ where: { status: 'active' }, select: { host: true, diskBytes: true } });
      // Biggest first, unmeasured last, ties by host: what the list promises.
      const bySize = active.sort((a, b) =>
        a.diskBytes === b.diskBytes ? (a.host < b.host ? -1 : 1) : a.diskBytes === null ? 1 : b.diskBytes === null ? -1 : Number(b.diskBytes - a.diskBytes),
      );
      await expect.poll(async () => (await rowHosts())[0]).toBe(bySize[0]!.host);
      expect(await rowHosts()).toEqual(bySize.slice(0, PER_PAGE).map((s) => s.host));
      expect(await page.getByRole('columnheader', { name: /Disk/ }).getAttribute('aria-sort')).toBe('descending');

      const pages = Math.ceil(active.length / PER_PAGE);
      await page.getByRole('link', { name: 'Last »' }).click();
      await page.waitForURL((url) => url.searchParams.get('page') === String(pages));
      await expect.poll(summary).toBe(`Page ${pages} of ${pages}, ${plural(active.length)}`);
      const remainder = active.length - (pages - 1) * PER_PAGE;
      expect(await rowHosts()).toEqual(bySize.slice(-remainder).map((s) => s.host));

      const before = { url: page.url(), hosts: await rowHosts(), summary: await summary() };
      await page.reload();
      expect(page.url()).toBe(before.url);
      expect(await rowHosts()).toEqual(before.hosts);
      expect(await summary()).toBe(before.summary);
      expect(await page.locator('#f-status').inputValue()).toBe('active');
    });

    it('queues a health check for two selected sites and links to the job', async () => {
      const started = new Date();
      await page.goto('/sites?q=site1?.asso.*');
      const [a, b] = (await rowHosts()).slice(0, 2) as [string, string];
      await page.getByLabel(`Select ${a}`, { exact: true }).check();
      await page.getByLabel(`Select ${b}`, { exact: true }).check();
      const bar = page.getByRole('region', { name: 'Bulk actions' });
      expect(await bar.innerText()).toContain('2 selected');
      await shot('sites-selected');
      await bar.getByRole('button', { name: 'Check health' }).click();
      await bar.getByRole('status').filter({ hasText: 'A health check of 2 sites is queued.' }).waitFor();
      await bar.getByRole('link', { name: 'Follow the job →' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/jobs/'));
      expect(await page.locator('h1').innerText()).toBe('sites.health');

      // The worker probes them (through the closed front port): both are now checked, and down.
      await expect
        .poll(async () => db.site.findMany({ where: { host: { in: [a, b] }, healthCheckedAt: { gte: started } }, select: { healthStatus: true } }), { timeout: 20_000 })
        .toEqual([{ healthStatus: 'down' }, { healthStatus: 'down' }]);
    });

    it('disables selected sites after asking', async () => {
      const target = await db.site.findFirstOrThrow({ where: { status: 'active', host: { startsWith: 'ecole-' } }, orderBy: { host: 'asc' } });
      await page.goto(`/sites?q=${target.host}`);
      expect(await rowHosts()).toEqual([target.host]);
      await page.getByLabel('Select all sites on this page').check();
      const bar = page.getByRole('region', { name: 'Bulk actions' });
      await bar.getByRole('button', { name: 'Disable…' }).click();
      expect(await bar.innerText()).toContain('Disable 1 site? Folders, databases and webmasters are kept.');
      await bar.getByRole('button', { name: 'Disable 1' }).click();
      await bar.getByRole('status').filter({ hasText: 'Disabled 1 site.' }).waitFor();
      await expect.poll(() => page.locator(`tr[data-host="${target.host}"]`).innerText()).toContain('disabled');
      expect((await db.site.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('disabled');
    });

    it("shows a site's database, sizes and health, and its visit and admin links per profile", async () => {
      const spip = await db.site.findFirstOrThrow({
        where: { platform: { profile: 'spip' }, healthStatus: 'up', sizesMeasuredAt: { not: null }, database: { server: { engine: 'mysql' }, shared: false } },
        include: { database: { include: { server: true } } },
        orderBy: { host: 'asc' },
      });
      await page.goto(`/sites/${spip.host}`);
      expect(await page.locator('h1').innerText()).toBe(spip.host);
      const body = await page.locator('main').innerText();
      expect(body).toContain(spip.database!.name);
      expect(body).toContain(spip.database!.user);
      expect(body).toContain(spip.database!.server.name);
      expect(body).not.toContain(farm.passwordOf.get(spip.host)!);
      expect(body).toContain(formatBytes(spip.diskBytes));
      expect(body).toContain(formatBytes(spip.diskImgBytes));
      expect(body).toContain(String(spip.healthCode));
      expect(body).toContain(`${spip.healthLatencyMs} ms`);
      expect(await page.getByRole('link', { name: `Visit ${spip.host} (new tab)` }).getAttribute('href')).toBe(`http://${spip.host}/`);
      expect(await page.getByRole('link', { name: `Admin of ${spip.host} (new tab)` }).getAttribute('href')).toBe(`http://${spip.host}/ecrire/`);
      await shot('site-page');

      const generic = await db.site.findFirstOrThrow({ where: { platform: { profile: 'generic' } }, orderBy: { host: 'asc' } });
      await page.goto(`/sites/${generic.host}`);
      expect(await page.getByRole('link', { name: `Admin of ${generic.host} (new tab)` }).getAttribute('href')).toBe(`http://${generic.host}/`);
    });

    it('finds a folder dropped into sites/ by hand and adopts it in one click', async () => {
      const host = `old-spip-${suffix}.example.org`;
      const folder = path.join(app.dataDir, 'farm', 'sites', host);
      fs.mkdirSync(path.join(folder, 'config', 'bases'), { recursive: true });
      fs.mkdirSync(path.join(folder, 'IMG'));
      fs.writeFileSync(path.join(folder, 'config', 'bases', 'oldspip.sqlite'), '');
      fs.writeFileSync(
        path.join(folder, 'config', 'connect.php'),
        `<?php\nif (!defined("_ECRIRE_INC_VERSION")) return;\n$GLOBALS['spip_connect_version'] = 0.8;\nspip_connect_db('','','','','oldspip','sqlite3','spip','','utf8');\n`,
      );
      // A second one whose database server Mutu does not know: adopting it must say what to do first.
      const stranger = `stranger-${suffix}.example.org`;
      fs.mkdirSync(path.join(app.dataDir, 'farm', 'sites', stranger, 'config'), { recursive: true });
      fs.writeFileSync(
        path.join(app.dataDir, 'farm', 'sites', stranger, 'config', 'connect.php'),
        `<?php\nspip_connect_db('db.elsewhere.example','3306','spip','secret','spip_db','mysql','spip','','utf8');\n`,
      );

      await page.goto('/sites');
      await page.getByRole('link', { name: 'Scan the farm' }).click();
      await page.waitForURL('**/sites/scan');
      await page.getByRole('button', { name: 'Scan the farm' }).click();
      const row = page.locator(`tr[data-host="${host}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.innerText()).toMatch(/spip[\s\S]*oldspip \(sqlite\)[\s\S]*prefix\s+spip/);
      await shot('scan');

      const strangerRow = page.locator(`tr[data-host="${stranger}"]`);
      await strangerRow.getByRole('button', { name: 'Adopt' }).click();
      await strangerRow.getByRole('alert').waitFor();
      expect(await strangerRow.getByRole('alert').innerText()).toMatch(/not registered: add it with `mutu servers add` first/);

      await row.getByRole('button', { name: 'Adopt' }).click();
      await row.getByRole('link', { name: 'Open its page →' }).click();
      await page.waitForURL(`**/sites/${host}`);
      expect(await page.locator('h1').innerText()).toBe(host);
      expect(await page.getByRole('link', { name: `Admin of ${host} (new tab)` }).getAttribute('href')).toBe(`http://${host}/ecrire/`);
      const body = await page.locator('main').innerText();
      expect(body).toContain('oldspip');
      expect(body).toContain('site.adopt');
      const adopted = await db.site.findUniqueOrThrow({ where: { host }, include: { database: { include: { server: true } }, platform: true } });
      expect([adopted.status, adopted.platform.profile, adopted.database?.server.engine]).toEqual(['active', 'spip', 'sqlite']);

      // Its sizes, measured on demand by the worker from the real folder, then shown dated.
      fs.writeFileSync(path.join(folder, 'IMG', 'photo.jpg'), Buffer.alloc(300 * 1024, 1));
      const sizes = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Sizes' }) });
      await sizes.getByRole('button', { name: 'Measure now' }).click();
      await sizes.getByRole('link', { name: 'Follow the job →' }).waitFor();
      await waitFor('the measure of the adopted site', async () => (await db.site.findUnique({ where: { host } }))?.sizesMeasuredAt, 20_000, 200);
      await page.reload();
      expect(await sizes.innerText()).toMatch(/uploads\s+3\d\d\.\d KiB IMG\/[\s\S]*Measured just now/i);
      expect(await page.getByRole('row').filter({ hasText: 'sites.measure' }).count()).toBe(1);
      await shot('site-page-adopted');
    });

    it('shows the farm on the overview, with end-of-life warnings', async () => {
      const day = 86_400_000;
      await db.platform.update({ where: { id: farm.spipOld.id }, data: { eolDate: new Date(Date.now() - 30 * day) } });
      await db.platform.update({ where: { id: farm.spipNew.id }, data: { eolDate: new Date(Date.now() + 30 * day) } });
      await page.goto('/');
      const main = page.locator('main');
      expect(await main.innerText()).toMatch(/Platforms[\s\S]*spip-4\.3\.2[\s\S]*upgrade available/);
      for (const name of ['Sites per platform', 'Growth over 12 months', 'Biggest sites on disk']) {
        expect(await main.getByRole('heading', { name }).count(), name).toBe(1);
      }
      expect(await main.locator('svg[role="img"] title').count()).toBeGreaterThanOrEqual(3);
      expect(await main.getByRole('row').filter({ hasText: 'spip-4.3.2' }).innerText()).toContain('past end of life');
      expect(await main.getByRole('row').filter({ hasText: 'spip-4.10' }).innerText()).toContain('ends soon');
      expect(await main.getByRole('alert').innerText()).toMatch(/spip-4\.3\.2 \([\d,]+ sites\) is past its end of life on [\d-]+; spip-4\.10 \([\d,]+ sites\) reaches its end of life on /);
      await shot('overview');
    });
  });
});
