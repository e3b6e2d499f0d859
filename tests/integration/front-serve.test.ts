// Every site answers: real nginx and PHP-FPM (Debian's) in a temporary folder, driven by Mutu
// from its registry, each site's PHP running as its own Unix user.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureApp, frontUnavailable, useServedFarm } from '../helpers/front';
import { adminActor, availableEngines, randomHost, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { siteSql } from '../helpers/export-sites';
import { runCli } from '../helpers/cli';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { siteMapFile, spliceMapShard } from '@/lib/domain/front';
import { frontStatus, setupFront, syncFront } from '@/lib/front/farm';
import { frontLayout } from '@/lib/front/settings';
import { setMaintenanceText } from '@/lib/front/maintenance';
import { unixAccount } from '@/lib/front/unix-users';
import { readLog } from '@/lib/jobs/queue';
import { addPlatform } from '@/lib/platforms/service';
import { addAlias, moveSite, removeAlias } from '@/lib/sites/addresses';
import { requestDestroy, setSiteEnabled } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { requestUndo, requestUpgrade } from '@/lib/upgrades/request';
import { healthHandler } from '@/lib/sites/health-handler';
import { enqueue } from '@/lib/jobs/queue';

const unavailable = frontUnavailable();
// Mutu's map lookup (tests/integration/front-lookup.test.ts covers the files lookup, the default with nginx's js module).
const { front, farm } = useServedFarm({ MUTU_FRONT_LOOKUP: 'map' });
const p = useProvisioning();

/** A copy of a fixture application where every site's user can read it, registered as a platform. */
async function fixturePlatform(app: 'php-app' | 'spip-shaped', version: string) {
  const dir = copyFixtureApp(app, version);
  const suffix = path.basename(dir).slice(-6).toLowerCase();
  // The SPIP-shaped stand-in looks like SPIP to the preset: none of SPIP's own commands apply to it.
  const noPreset = { installCommand: 'none', upgradeCommand: 'none', purgeCommand: 'none', postImportCommand: 'none', healthCheck: 'none' };
  return addPlatform(adminActor, { name: `${app}-${version}-${suffix}`, profile: app === 'spip-shaped' ? 'spip' : 'generic', path: dir, version, ...(app === 'spip-shaped' ? noPreset : {}) });
}

async function logOf(jobId: string) {
  return (await readLog(jobId, 0, 1000)).lines.map((l) => l.message).join('\n');
}

async function makeSite(engine: Engine, platform: string) {
  const host = p.trackHost(randomHost(engine.slice(0, 5)));
  const r = await requestSite(adminActor, { host, platform, server: (await p.serverFor(engine)).name });
  const job = await waitForJob(r.job.id, 60_000);
  const log = await logOf(job.id);
  expect(job.status, log).toBe('succeeded');
  const site = await db.site.findUniqueOrThrow({ where: { host } });
  const a = await siteDbAccess(site.id);
  const t = `${a.tablePrefix ? `${a.tablePrefix}_` : ''}articles`;
  await siteSql(a, [`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, titre VARCHAR(100))`, `INSERT INTO ${t} (id, titre) VALUES (1, 'hello from ${engine}')`]);
  return { host, id: site.id, log };
}

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe.skipIf(!!unavailable)('the front serves the sites', () => {
  let v1: Awaited<ReturnType<typeof fixturePlatform>>;
  let v2: Awaited<ReturnType<typeof fixturePlatform>>;

  beforeAll(async () => {
    const setup = await setupFront();
    expect(setup.written.some((f) => f.endsWith('farm.conf'))).toBe(true);
    await front.start();
    await p.startWorker();
    v1 = await fixturePlatform('php-app', '1');
    v2 = await fixturePlatform('php-app', '2');
  });

  it.each(availableEngines())('a new %s site answers through nginx with its own row, as its own Unix user', async (engine) => {
    const { host, id, log } = await makeSite(engine, v1.name);
    expect(log).toMatch(/front: \d+ files written and checked, PHP-FPM 8\.2 and nginx reloaded/);
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { id } });
    expect(unixUser).toMatch(/^mu-/);
    expect(unixAccount(unixUser!)?.comment).toBe(`Mutu site ${host}`);
    const r = await front.get(host);
    expect(r.status, r.body + front.fpmLog()).toBe(200);
    expect(json(r.body)).toMatchObject({ app: 'php-app', version: '1', host, user: unixUser, engine, row: `hello from ${engine}`, wrote: 'data/visit.txt' });
    // What it wrote is the site's, and nginx serves it as a static file.
    const visit = await front.get(host, `/sites/${host}/data/visit.txt`);
    expect(visit.status).toBe(200);
    expect(fs.statSync(path.join(config().farmRoot, 'sites', host, 'data', 'visit.txt')).uid).toBe(unixAccount(unixUser!)!.uid);
  });

  it('redirects www. and serves or redirects aliases; unknown hosts get a neutral 404', async () => {
    const { host } = await makeSite('sqlite', v1.name);
    const www = await front.get(`www.${host}`, '/some/page?x=1');
    expect(www.status).toBe(301);
    expect(www.headers.location).toBe(`http://${host}/some/page?x=1`);

    await addAlias(adminActor, host, `shop.${host}`, { serve: true });
    const served = await front.get(`shop.${host}`);
    expect(served.status).toBe(200);
    expect(json(served.body)).toMatchObject({ host, row: 'hello from sqlite' });
    await removeAlias(adminActor, host, `shop.${host}`);
    const gone = await front.get(`shop.${host}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('There is no site at this address.');
    expect(gone.body).not.toContain('hello from');

    for (const hostile of ['a.example.org; return 200 x;', 'a.example.org\nreturn 200', 'a.example.org}', '$host.example.org']) {
      await expect(addAlias(adminActor, host, hostile)).rejects.toThrow(/not a valid site host/);
    }
    expect(await db.siteAlias.count({ where: { siteId: (await db.site.findUniqueOrThrow({ where: { host } })).id } })).toBe(1);
  });

  it('a disabled site answers 503 with the maintenance text; enabled, 200 again; a moved site redirects', async () => {
    const { host } = await makeSite('sqlite', v1.name);
    await setMaintenanceText(adminActor, 'Back on Monday <b>morning</b>.');
    await setSiteEnabled(adminActor, host, false);
    const closed = await front.get(host);
    expect(closed.status).toBe(503);
    expect(closed.body).toContain('Back on Monday &#60;b&#62;morning&#60;/b&#62;.');
    await setSiteEnabled(adminActor, host, true);
    expect((await front.get(host)).status).toBe(200);

    await moveSite(adminActor, host, 'https://new.example.net/club');
    const moved = await front.get(host, '/page?a=b');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://new.example.net/club/page?a=b');
    await expect(moveSite(adminActor, host, 'javascript:alert(1)')).rejects.toThrow(/plain http\(s\) address|not a URL/);
    await moveSite(adminActor, host, null);
    expect((await front.get(host)).status).toBe(200);
  });

  it('an upgrade switches which platform answers, and an undo switches back', async () => {
    const { host } = await makeSite('sqlite', v1.name);
    const up = await requestUpgrade(adminActor, { host, to: v2.name });
    const upJob = await waitForJob(up.job.id, 60_000);
    expect(upJob.status, await logOf(upJob.id)).toBe('succeeded');
    expect(json((await front.get(host)).body)).toMatchObject({ version: '2', row: 'hello from sqlite' });
    const undo = await requestUndo(adminActor, { host });
    const undoJob = await waitForJob(undo.job.id, 60_000);
    expect(undoJob.status, await logOf(undoJob.id)).toBe('succeeded');
    const back = await front.get(host);
    expect(back.status, back.body).toBe(200);
    expect(json(back.body)).toMatchObject({ version: '1', row: 'hello from sqlite' });
  });

  it('a destroyed site stops answering, and its Unix user is gone', async () => {
    const { host, id } = await makeSite('sqlite', v1.name);
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { id } });
    expect((await front.get(host)).status).toBe(200);
    const { job } = await requestDestroy(adminActor, host, host);
    const done = await waitForJob(job.id, 60_000);
    expect(done.status, await logOf(done.id)).toBe('succeeded');
    const after = await front.get(host);
    expect(after.status).toBe(404);
    expect(after.body).toContain('There is no site at this address.');
    expect(unixAccount(unixUser!)).toBeUndefined();
  });

  it('a SPIP-shaped platform finds the site’s own folders through the bootstrap, and serves its IMG/ statically', async () => {
    const spip = await fixturePlatform('spip-shaped', '1');
    const { host } = await makeSite('sqlite', spip.name);
    const r = await front.get(host);
    expect(r.status, r.body + front.fpmLog()).toBe(200);
    expect(json(r.body)).toMatchObject({ app: 'spip-shaped', site: host, config: `sites/${host}/config/`, img: `sites/${host}/IMG/`, row: 'hello from sqlite', wrote: `sites/${host}/IMG/visit.txt` });
    expect(fs.readFileSync(path.join(config().farmRoot, 'sites', host, 'IMG', 'visit.txt'), 'utf8')).toBe('visited\n');
    expect((await front.get(host, `/sites/${host}/IMG/visit.txt`)).body).toBe('visited\n');
    // Never PHP from uploads, never the private folders, never another site's files.
    fs.writeFileSync(path.join(config().farmRoot, 'sites', host, 'IMG', 'evil.php'), '<?php echo "EXECUTED";');
    const evil = await front.get(host, `/sites/${host}/IMG/evil.php`);
    expect(evil.body).not.toBe('EXECUTED');
    expect(evil.body).toContain('<?php');
    for (const hidden of [`/sites/${host}/config/connect.php`, `/sites/${host}/tmp/`, '/config/connect.php', `/sites/${host}/db/`]) {
      expect((await front.get(host, hidden)).status, hidden).toBe(404);
    }
    const other = await makeSite('sqlite', spip.name);
    expect((await front.get(other.host)).status).toBe(200);
    expect((await front.get(other.host, `/sites/${host}/IMG/visit.txt`)).status).toBe(404);
  });

  it('sync is idempotent and repairs what differs; status says what differs', async () => {
    const { host: victim } = await makeSite('sqlite', v1.name);
    expect((await syncFront()).changed).toEqual([]);
    expect((await frontStatus()).inSync).toBe(true);
    const maps = path.join(front.env.MUTU_FRONT_NGINX_DIR!, 'sites');
    // Its lines taken out of the map's shard that holds them, the other sites' left.
    const shard = siteMapFile(frontLayout(), victim);
    fs.writeFileSync(shard, spliceMapShard(fs.readFileSync(shard, 'utf8'), victim, null) ?? '');
    fs.writeFileSync(path.join(maps, 'stray.example.org.map'), 'stray.example.org "serve|x|/tmp|/tmp/x.sock||generic|";\n');
    const status = await runCli(['front', 'status'], { env: farm.env });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`${victim}: differs: its lines in ${path.basename(shard)}`);
    expect(status.stdout).toContain('stray.example.org.map');
    const sync = await runCli(['front', 'sync'], { env: farm.env });
    expect(sync.code, sync.stderr).toBe(0);
    expect((await frontStatus()).inSync).toBe(true);
    expect(fs.existsSync(path.join(maps, 'stray.example.org.map'))).toBe(false);
  });

  it('a configuration broken by hand is reported with its file and nginx’s words, and never reloaded', async () => {
    const { host } = await makeSite('sqlite', v1.name);
    const other = await makeSite('sqlite', v1.name);
    const broken = siteMapFile(frontLayout(), other.host);
    const before = fs.readFileSync(broken, 'utf8');
    // Inside the other site's lines (its shard may hold this site's too, which the change rewrites).
    fs.writeFileSync(broken, before.replace(`\n${other.host} "`, `\nthis is not nginx;\n${other.host} "`));
    await expect(setSiteEnabled(adminActor, host, false)).rejects.toThrow(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect((await db.site.findUniqueOrThrow({ where: { host } })).status).toBe('active');
    expect((await front.get(host)).status).toBe(200); // still served as before
    fs.writeFileSync(broken, before);
  });

  it('health probes go through the front without any setting, and the sites are up', async () => {
    const { host } = await makeSite('sqlite', v1.name);
    const job = await enqueue(healthHandler, { hosts: [host] }, { actor: adminActor });
    expect((await waitForJob(job.id, 30_000)).status).toBe('succeeded');
    expect(await db.site.findUniqueOrThrow({ where: { host } })).toMatchObject({ healthStatus: 'up', healthCode: 200 });
  });
});
