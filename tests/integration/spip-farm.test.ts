// A real SPIP farm end to end: sites made by Mutu are working SPIP sites (SPIP's own tables,
// its first administrator), served through the front, upgraded from 4.1.15 to 4.2.9 by SPIP's
// own upgrader, rolled back, undone, exported and imported under a new host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { adminActor, availableEngines, randomHost, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { siteSql } from '../helpers/export-sites';
import { outboxMails as readOutbox } from '../helpers/outbox';
import { spipUnavailable, unpackSpip } from '../helpers/spip';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { exportFolder } from '@/lib/exports/paths';
import { requestExport } from '@/lib/exports/service';
import { siteDir } from '@/lib/farm/paths';
import { setupFront } from '@/lib/front/farm';
import { unixAccount } from '@/lib/front/unix-users';
import { requestImport } from '@/lib/imports/request';
import { enqueue, readLog } from '@/lib/jobs/queue';
import { healthHandler } from '@/lib/sites/health-handler';
import { addPlatform } from '@/lib/platforms/service';
import { requestDestroy } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { requestUndo, requestUpgrade } from '@/lib/upgrades/request';

const unavailable = frontUnavailable() ?? spipUnavailable();
const { front } = useServedFarm();
const p = useProvisioning();
const SPIP_ENGINES = availableEngines().filter((e): e is Exclude<Engine, 'postgresql'> => e !== 'postgresql');

async function logOf(jobId: string) {
  return (await readLog(jobId, 0, 2000)).lines.map((l) => l.message).join('\n');
}

async function meta(siteId: string, name: string): Promise<string | undefined> {
  const a = await siteDbAccess(siteId);
  const rows = await siteSql(a, [`SELECT valeur FROM ${a.tablePrefix}_meta WHERE nom = '${name}'`]);
  return rows[0] ? String(rows[0].valeur) : undefined;
}

const outboxMails = () => readOutbox(config().mail.outboxDir);

// Real SPIP on real servers: each test makes, upgrades or moves whole sites (half a minute alone, more under load).
describe.skipIf(!!unavailable)('a real SPIP farm', { timeout: 300_000 }, () => {
  let spip41: Awaited<ReturnType<typeof addPlatform>>;
  let spip42: Awaited<ReturnType<typeof addPlatform>>;

  beforeAll(async () => {
    await setupFront();
    await front.start();
    await p.startWorker();
    spip41 = await addPlatform(adminActor, { name: `spip-4-1-${Date.now() % 100000}`, profile: 'spip', path: unpackSpip('4.1.15'), version: '4.1.15' });
    spip42 = await addPlatform(adminActor, { name: `spip-4-2-${Date.now() % 100000}`, profile: 'spip', path: unpackSpip('4.2.9'), version: '4.2.9' });
  });

  it('a platform added with the spip profile gets the preset commands and health path', () => {
    expect(spip41.presetApplied).toBe(true);
    expect(spip41.installCommand).toEqual(['{php}', '{mutu_scripts}/spip-cli.php', 'install']);
    expect(spip41.upgradeCommand).toEqual(['{php}', '{mutu_scripts}/spip-cli.php', 'upgrade']);
    expect(spip41.healthCheck).toEqual({ path: '/spip.php' });
  });

  it.each(SPIP_ENGINES)('a new site on %s is a working SPIP: its tables, its webmaster as administrator, its pages served', async (engine) => {
    const host = p.trackHost(randomHost(`spip${engine.slice(0, 3)}`));
    const email = `wm-${host.split('.')[0]}@example.org`;
    const r = await requestSite(adminActor, { host, platform: spip41.name, server: (await p.serverFor(engine)).name, webmaster: email });
    const job = await waitForJob(r.job.id, 120_000);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('succeeded');
    expect(log).toContain(`SPIP installed for ${host}`);
    expect(await meta(r.site.id, 'version_installee')).toBe('2022022302');
    const a = await siteDbAccess(r.site.id);
    const admins = await siteSql(a, [`SELECT login, statut, webmestre FROM ${a.tablePrefix}_auteurs`]);
    expect(admins).toEqual([{ login: email, statut: '0minirezo', webmestre: 'oui' }]);
    // The webmaster got SPIP's own single-use link to choose a password.
    expect(outboxMails().some((m) => m.includes(`To: ${email}`) && m.includes(`http://${host}/spip.php?page=spip_pass&p=`))).toBe(true);

    await siteSql(a, [`INSERT INTO ${a.tablePrefix}_articles (titre, texte, statut, date, id_rubrique) VALUES ('Bonjour le monde', 'Un texte', 'publie', '2026-11-30 10:00:00', 1)`]);
    const home = await front.get(host, '/spip.php');
    expect(home.status, home.body.slice(0, 2000) + front.fpmLog().slice(-2000)).toBe(200);
    expect(home.body).toContain('Bonjour le monde');
    const ecrire = await front.get(host, '/ecrire/');
    expect([200, 302]).toContain(ecrire.status);
  });

  it.each(['4.1.15', '4.2.9'])("a SPIP %s site installed with its visitor's own password has all of SPIP's secret keys, so its login form works", async (version) => {
    // With no mailed link, nothing at install asked SPIP for its site key; once config/ is
    // Mutu's, SPIP cannot add it to cles.php, and every form (the login first) fails.
    const host = p.trackHost(randomHost('spipown'));
    const platform = version === '4.1.15' ? spip41 : spip42;
    const r = await requestSite(adminActor, { host, platform: platform.name, server: (await p.serverFor('sqlite')).name, webmaster: `wm-${host.split('.')[0]}@example.org` }, { installPassword: 'the visitor chose this password' });
    const job = await waitForJob(r.job.id, 120_000);
    expect(job.status, await logOf(job.id)).toBe('succeeded');
    const login = await front.get(host, '/spip.php?page=login&url=%2Fecrire%2F');
    expect(login.status).toBe(200);
    expect(login.body).not.toContain('<!-- Erreur -->');
    expect(login.body).toContain("id='var_login'");
    expect(fs.readFileSync(path.join(config().farmRoot, 'sites', host, 'config', 'cles.php'), 'utf8')).toContain('"secret_du_site"');
  });

  it("is probed through the front as SPIP answers: a site whose platform has no install command (its database empty) needs install, an installed one is up", async () => {
    // The same release without the install step: SPIP finds connect.php, but none of its tables.
    const bare = await addPlatform(adminActor, { name: `spip-bare-${Date.now() % 100000}`, profile: 'spip', path: spip41.codePath, version: '4.1.15', installCommand: 'none' });
    expect(bare.installCommand).toBeNull();
    const made = await Promise.all(
      [...SPIP_ENGINES.map((engine) => ({ engine, platform: bare.name })), { engine: 'sqlite' as const, platform: spip41.name }].map(async ({ engine, platform }) => {
        const host = p.trackHost(randomHost(platform === bare.name ? `bare${engine.slice(0, 3)}` : 'probed'));
        const r = await requestSite(adminActor, { host, platform, server: (await p.serverFor(engine)).name, webmaster: `wm-${host.split('.')[0]}@example.org` });
        return { host, engine, installed: platform === spip41.name, job: r.job.id };
      }),
    );
    for (const m of made) expect((await waitForJob(m.job, 120_000)).status, await logOf(m.job)).toBe('succeeded');

    const probe = async () => {
      const job = await enqueue(healthHandler, { hosts: made.map((m) => m.host) }, { actor: adminActor });
      expect((await waitForJob(job.id, 60_000)).status, await logOf(job.id)).toBe('succeeded');
      return Promise.all(made.map(async (m) => ({ ...m, site: await db.site.findUniqueOrThrow({ where: { host: m.host } }) })));
    };
    // An empty SPIP's first page dies on its missing tables (500); then it sends visitors to
    // its sign-in page to show the errors (var_mode=debug). Either way: not installed.
    const empty = /^(answers 500|redirects to \/spip\.php\?page=login&url=%2Fspip\.php%3Fvar_mode%3Ddebug \(sign-in\)); its database holds none of its tables$/;
    for (const { site, installed } of await probe()) {
      if (installed) expect(site).toMatchObject({ healthStatus: 'up', healthCode: 200, healthDetail: null });
      else {
        expect(site).toMatchObject({ healthStatus: 'needs-install' });
        expect(site.healthDetail).toMatch(empty);
      }
    }
    for (const { site, installed } of await probe()) {
      expect(site, site.host).toMatchObject(
        installed
          ? { healthStatus: 'up', healthCode: 200, healthDetail: null }
          : { healthStatus: 'needs-install', healthCode: 302, healthDetail: 'redirects to /spip.php?page=login&url=%2Fspip.php%3Fvar_mode%3Ddebug (sign-in); its database holds none of its tables' },
      );
    }
  });

  /** A SPIP site (4.1.15 unless said) with a published article, as its webmaster left it. */
  async function siteWithArticle(engine: Engine, label: string, platform = spip41) {
    const host = p.trackHost(randomHost(label));
    const r = await requestSite(adminActor, { host, platform: platform.name, server: (await p.serverFor(engine)).name, webmaster: `wm-${label}@example.org` });
    const job = await waitForJob(r.job.id, 120_000);
    expect(job.status, await logOf(job.id)).toBe('succeeded');
    const a = await siteDbAccess(r.site.id);
    await siteSql(a, [`INSERT INTO ${a.tablePrefix}_articles (titre, texte, statut, date, id_rubrique) VALUES ('Article de ${label}', 'Texte', 'publie', '2026-11-30 10:00:00', 1)`]);
    expect((await front.get(host, '/spip.php')).body).toContain(`Article de ${label}`);
    return { host, id: r.site.id };
  }

  it.each(SPIP_ENGINES)("on %s, SPIP's own upgrader takes a site from 4.1.15 to 4.2.9, and an undo brings it back working", async (engine) => {
    const { host, id } = await siteWithArticle(engine, `up${engine.slice(0, 3)}`);
    const up = await requestUpgrade(adminActor, { host, to: spip42.name });
    const upJob = await waitForJob(up.job.id, 180_000);
    const log = await logOf(upJob.id);
    expect(upJob.status, log).toBe('succeeded');
    expect(log).toContain('version_installee: 2022022302 -> 2022022303');
    expect(log).toMatch(/purged SPIP's caches/);
    expect(await meta(id, 'version_installee')).toBe('2022022303');
    const after = await front.get(host, '/spip.php');
    expect(after.status, after.body.slice(0, 1000)).toBe(200);
    expect(after.body).toContain(`Article de up${engine.slice(0, 3)}`);

    const undo = await requestUndo(adminActor, { host });
    const undoJob = await waitForJob(undo.job.id, 180_000);
    expect(undoJob.status, await logOf(undoJob.id)).toBe('succeeded');
    expect(await meta(id, 'version_installee')).toBe('2022022302');
    expect((await db.site.findUniqueOrThrow({ where: { id } })).platformId).toBe(spip41.id);
    const back = await front.get(host, '/spip.php');
    expect(back.status).toBe(200);
    expect(back.body).toContain(`Article de up${engine.slice(0, 3)}`);
  });

  it('a broken upgrade is rolled back: the database and the caches as before, the site answering on 4.1.15', async () => {
    const { host, id } = await siteWithArticle('sqlite', 'broken');
    // SPIP's real upgrade runs, then the command fails: the database is half way to 4.2.
    const broken = await addPlatform(adminActor, {
      name: `spip-broken-${Date.now() % 100000}`,
      profile: 'spip',
      path: spip42.codePath,
      version: '4.2.9-broken',
      upgradeCommand: `sh -c '"$0" "$1" upgrade && echo broken on purpose && exit 3' {php} {mutu_scripts}/spip-cli.php`,
    });
    const metaCache = path.join(config().farmRoot, 'sites', host, 'tmp', 'meta_cache.php');
    expect(fs.existsSync(metaCache)).toBe(true);
    const r = await requestUpgrade(adminActor, { host, to: broken.name });
    const job = await waitForJob(r.job.id, 180_000);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(log).toContain('version_installee: 2022022302 -> 2022022303');
    expect(log).toContain('broken on purpose');
    expect(await meta(id, 'version_installee')).toBe('2022022302');
    expect(await db.site.findUniqueOrThrow({ where: { id } })).toMatchObject({ platformId: spip41.id, status: 'active' });
    // The 4.2 caches the failed upgrade left are gone: SPIP describes its real state.
    const cached = fs.existsSync(metaCache) ? fs.readFileSync(metaCache, 'utf8') : '';
    expect(cached).not.toContain('2022022303');
    const page = await front.get(host, '/spip.php');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Article de broken');
  });

  it.each(SPIP_ENGINES)('on %s, a SPIP 4.2.9 site exported, destroyed and imported under a new host answers there with its article, its address and its own keys', async (engine) => {
    const label = `ex${engine.slice(0, 3)}`;
    const { host, id } = await siteWithArticle(engine, label, spip42);
    const keysFile = (h: string) => path.join(siteDir(config().farmRoot, h), 'config', 'cles.php');
    const keys = fs.readFileSync(keysFile(host));
    expect(keys.length).toBeGreaterThan(0);
    const exp = await requestExport(adminActor, id, 'tar.gz'); // an admin's export: the keys go in
    const expJob = await waitForJob(exp.jobId!, 120_000);
    expect(expJob.status, await logOf(expJob.id)).toBe('succeeded');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-spip-export-'));
    try {
      fs.cpSync(exportFolder(host, exp.export.id), copy, { recursive: true });
      const destroyed = await requestDestroy(adminActor, host, host);
      expect((await waitForJob(destroyed.job.id, 60_000)).status).toBe('succeeded');
      expect((await front.get(host, '/spip.php')).status).not.toBe(200);

      const newHost = p.trackHost(randomHost(`${label}new`));
      const imp = await requestImport(adminActor, { from: copy, host: newHost, platform: spip42.name });
      const impJob = await waitForJob(imp.job.id, 180_000);
      const log = await logOf(impJob.id);
      expect(impJob.status, log).toBe('succeeded');
      expect(log).toContain('secret keys restored: config/cles.php');
      expect(log).toContain(`adresse_site is now http://${newHost}`);
      const site = await db.site.findUniqueOrThrow({ where: { host: newHost } });
      expect(await meta(site.id, 'adresse_site')).toBe(`http://${newHost}`);

      const page = await front.get(newHost, '/spip.php');
      expect(page.status, page.body.slice(0, 1000)).toBe(200);
      expect(page.body).toContain(`Article de ${label}`);
      // The exported keys, SPIP's to read and not to change: root's, the site's group, 0640.
      const restored = keysFile(newHost);
      expect(fs.readFileSync(restored)).toEqual(keys);
      const st = fs.lstatSync(restored);
      expect(st.isFile()).toBe(true);
      expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ uid: 0, gid: unixAccount(site.unixUser!)!.gid, mode: 0o640 });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);
});
