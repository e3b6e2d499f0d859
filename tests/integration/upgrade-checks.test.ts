import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { adminActor, profileFor, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { configState, databaseState, makePlatform, makeSite } from '../fixtures/upgrade-sites';
import { config } from '@/lib/config';
import { siteDbAccess } from '@/lib/databases/site-access';
import { db } from '@/lib/db/client';
import { siteDir } from '@/lib/farm/paths';
import { enqueue, readLog } from '@/lib/jobs/queue';
import { requestUpgrade } from '@/lib/upgrades/request';
import { snapshotPruneHandler } from '@/lib/upgrades/prune-snapshots';
import { planUpgrade } from '@/lib/upgrades/run-plan';
import { siteListSchema } from '@/lib/domain/site-list';
import { listFilteredHosts } from '@/lib/sites/list-query';
import { setSiteEnabled } from '@/lib/sites/lifecycle';
import { createUpgradeRun, pauseRun } from '@/lib/upgrades/runs';
import { waitFor } from '../fixtures/wait';

/*
 * The parts of one site's upgrade the other files do not reach: how the command is run
 * (folder, arguments, database settings), the HTTP health probe after it, a database that
 * does not answer at preflight, and the retention of snapshots.
 */

// The farm's front web server, as the health probe sees it: sites told apart by Host. A
// site "sent to its installer" redirects every page but the installer there, as SPIP does.
const unhealthy = new Set<string>();
const toInstaller = new Set<string>();
const INSTALLER = '/ecrire/?exec=install';
const probes: { host: string; url: string }[] = [];
const front = http.createServer((req, res) => {
  const host = req.headers.host ?? '';
  probes.push({ host, url: req.url ?? '' });
  if (toInstaller.has(host) && req.url !== INSTALLER) res.writeHead(302, { location: `http://${host}:8080${INSTALLER}` });
  else res.writeHead(unhealthy.has(host) ? 500 : 200, { 'content-type': 'text/plain' });
  res.end('ok\n');
});
await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => front.close(() => resolve())));

const farm = useTestFarm({ MUTU_OPERATORS: 'ops@example.org', MUTU_HEALTH_FRONT: `127.0.0.1:${(front.address() as AddressInfo).port}`, MUTU_HEALTH_TIMEOUT_SECONDS: '2' });
const p = useProvisioning();

let v1: Awaited<ReturnType<typeof makePlatform>>;
let v2: Awaited<ReturnType<typeof makePlatform>>;
let checked: Awaited<ReturnType<typeof makePlatform>>;

beforeAll(async () => {
  v1 = await makePlatform('1', { command: false });
  v2 = await makePlatform('2');
  checked = await makePlatform('2', { healthCheck: '/mutu-health.php' });
  await p.startWorker();
});

const logOf = async (jobId: string) => (await readLog(jobId, 0, 5000)).lines.map((l) => l.message).join('\n');

async function upgrade(host: string, to: string) {
  const r = await requestUpgrade(adminActor, { host, to });
  return waitForJob(r.job.id, 60_000);
}

interface Probe {
  cwd: string;
  argv: string[];
  dbFile: string;
  dbFileMode: number;
  dbFileHasPassword: boolean;
  pgid: number;
  pid: number;
}

// A network engine when there is one, so there is a password to keep out of the arguments.
const engine: Engine = services.mysqlUrl ? 'mysql' : services.postgresUrl ? 'postgresql' : 'sqlite';

describe('the upgrade command', () => {
  it(`runs in the site's folder, in its own process group, with the database settings in its environment and a 0600 file, never its arguments (${engine})`, async () => {
    // SPIP's releases, or on PostgreSQL (which SPIP cannot use) generic ones.
    const [from, to] = profileFor(engine) === 'spip' ? [v1, v2] : [await makePlatform('1', { command: false, profile: 'generic' }), await makePlatform('2', { profile: 'generic' })];
    const site = await makeSite(p, engine, from.name, 'env');
    const job = await upgrade(site.host, to.name);
    expect(job.status, await logOf(job.id)).toBe('succeeded');

    const dir = siteDir(config().farmRoot, site.host);
    const probe = JSON.parse(fs.readFileSync(path.join(dir, 'log', 'upgrade-probe.json'), 'utf8')) as Probe;
    expect(fs.realpathSync(probe.cwd)).toBe(fs.realpathSync(dir));
    expect(probe.pgid).toBe(probe.pid);
    expect(probe.argv.slice(2)).toEqual(['--platform', to.codePath, '--host', site.host]);
    expect(probe.dbFileMode).toBe(0o600);
    const { password, database } = await siteDbAccess(site.siteId);
    if (engine !== 'sqlite') {
      expect(password.length).toBeGreaterThan(8);
      expect(probe.dbFileHasPassword).toBe(true);
      expect(probe.argv.join(' ')).not.toContain(password);
    }
    expect(probe.argv.join(' ')).not.toContain(database);
    // The settings file lived as long as the command, no longer.
    expect(fs.existsSync(probe.dbFile)).toBe(false);
  });
});

describe('the HTTP health check', () => {
  it('is asked of the site after the command, with its Host, and passes a site that answers', async () => {
    const site = await makeSite(p, 'sqlite', v1.name, 'healthy');
    const job = await upgrade(site.host, checked.name);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('succeeded');
    expect(probes).toContainEqual({ host: site.host, url: '/mutu-health.php' });
    expect(log).toMatch(new RegExp(`health check: http://${site.host.replace(/\./g, '\\.')}/mutu-health.php: up \\(200\\), in \\d+ ms`));
    expect((await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).platformId).toBe(checked.id);
  });

  it('rolls the upgrade back when the site answers with an error after a successful command', async () => {
    const site = await makeSite(p, 'sqlite', v1.name, 'sick');
    unhealthy.add(site.host);
    const before = await databaseState(site.siteId);
    const configBefore = configState(site.host);
    const job = await upgrade(site.host, checked.name);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(log).toContain('the upgrade command succeeded');
    expect(job.error).toMatch(/health check: .*\/mutu-health.php: error \(500\), answers 500$/);
    expect(await databaseState(site.siteId)).toEqual(before);
    expect(configState(site.host)).toEqual(configBefore);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id, upgradedAt: null });
  });
});

describe('the HTTP health check, judged as the probes judge', () => {
  it("rolls the upgrade back when the site sends its visitors to its installer: a database the new release does not know", async () => {
    const site = await makeSite(p, 'sqlite', v1.name, 'toinstall');
    toInstaller.add(site.host);
    const before = await databaseState(site.siteId);
    const job = await upgrade(site.host, checked.name);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(log).toContain('the upgrade command succeeded');
    // followed through the front with the site's Host, to the installer, and judged there
    expect(probes.filter((x) => x.host === site.host).map((x) => x.url)).toEqual(['/mutu-health.php', INSTALLER]);
    expect(job.error).toBe(`health check: http://${site.host}/mutu-health.php: needs-install (302), redirects to ${INSTALLER} (the installer)`);
    expect(await databaseState(site.siteId)).toEqual(before);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id, upgradedAt: null });
  });
});

describe('preflight', () => {
  it.skipIf(!services.mysqlUrl)('stops before any change when the database server does not answer', async () => {
    const site = await makeSite(p, 'mysql', v1.name, 'unreachable');
    const server = (await db.siteDatabase.findUniqueOrThrow({ where: { siteId: site.siteId }, include: { server: true } })).server;
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await db.dbServer.update({ where: { id: server.id }, data: { port } });
    try {
      const job = await upgrade(site.host, v2.name);
      const log = await logOf(job.id);
      expect(job.status, log).toBe('failed');
      expect(job.error).toMatch(new RegExp(`the database of ${site.host.replace(/\./g, '\\.')} cannot be reached`));
      expect(log).not.toContain('snapshot taken');
      expect(await db.snapshot.count({ where: { siteId: site.siteId } })).toBe(0);
      expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id });
    } finally {
      await db.dbServer.update({ where: { id: server.id }, data: { port: server.port } });
    }
  });

  it('stops before any change when the site database is gone', async () => {
    const site = await makeSite(p, 'sqlite', v1.name, 'nodb');
    const file = (await siteDbAccess(site.siteId)).sqliteFile!;
    fs.renameSync(file, `${file}.away`);
    try {
      const job = await upgrade(site.host, v2.name);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/cannot be reached: its database .* does not exist/);
      expect(await db.snapshot.count({ where: { siteId: site.siteId } })).toBe(0);
      expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id });
    } finally {
      fs.renameSync(`${file}.away`, file);
    }
  });
});

describe('snapshot retention', () => {
  it('deletes snapshots past their retention, files and rows, and keeps the others', async () => {
    const [old, recent] = [await makeSite(p, 'sqlite', v1.name, 'oldsnap'), await makeSite(p, 'sqlite', v1.name, 'newsnap')];
    for (const s of [old, recent]) expect((await upgrade(s.host, v2.name)).status).toBe('succeeded');
    const snapOf = (siteId: string) => db.snapshot.findFirstOrThrow({ where: { siteId } });
    const [expired, kept] = [await snapOf(old.siteId), await snapOf(recent.siteId)];
    expect(kept.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    await db.snapshot.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const job = await waitForJob((await enqueue(snapshotPruneHandler, {}, { actor: adminActor })).id, 30_000);
    expect(job.status, await logOf(job.id)).toBe('succeeded');
    expect(await db.snapshot.findUnique({ where: { id: expired.id } })).toBeNull();
    expect(fs.existsSync(expired.path)).toBe(false);
    expect(await db.snapshot.findUnique({ where: { id: kept.id } })).not.toBeNull();
    expect(fs.existsSync(path.join(kept.path, 'database.sqlite'))).toBe(true);
  });
});

describe('bulk targets from a list or from the sites list', () => {
  it('plans an explicit list, saying which hosts are not sites, and takes a filter of the sites list on all its pages', async () => {
    const sites = [];
    for (let i = 0; i < 3; i++) sites.push(await makeSite(p, 'sqlite', v1.name, 'listed'));
    const [a, b, c] = sites.sort((x, y) => x.host.localeCompare(y.host));
    await setSiteEnabled(adminActor, c!.host, false);

    const plan = await planUpgrade({ hosts: [b!.host, ` ${a!.host.toUpperCase()} `, c!.host, 'nosuch.example.org', 'bad host!'], to: v2.name });
    expect(plan.included.map((s) => s.host)).toEqual([a!.host, b!.host]);
    expect(plan.leftOut).toEqual(
      expect.arrayContaining([
        // The reason in English, and as values the dashboard words in its reader's language.
        { host: c!.host, reason: 'disabled', why: { key: 'status', values: { status: 'disabled' } } },
        { host: 'nosuch.example.org', reason: 'no such site', why: { key: 'noSite' } },
        expect.objectContaining({ host: 'bad host!', reason: expect.stringMatching(/^not a host/), why: expect.objectContaining({ key: 'notHost' }) }),
      ]),
    );
    expect(plan.leftOut).toHaveLength(3);

    // The sites list's filter (here: platform and status) gives every matching host, not one page.
    const query = siteListSchema.parse({ platform: v1.name, status: 'active', perPage: 10, page: 1 });
    const hosts = await listFilteredHosts(query);
    expect(hosts).toEqual(expect.arrayContaining([a!.host, b!.host]));
    expect(hosts).not.toContain(c!.host);
    expect(hosts).toEqual([...hosts].sort());
    expect(await listFilteredHosts(query, 1)).toHaveLength(1);
  });
});

describe('a run paused by an admin', () => {
  it('mails the operators that it paused, as a pause by the failure budget does', async () => {
    const sites = [await makeSite(p, 'sqlite', v1.name, 'adminpause'), await makeSite(p, 'sqlite', v1.name, 'adminpause')];
    const { run } = await createUpgradeRun(adminActor, { hosts: sites.map((s) => s.host), to: v2.name }, { concurrency: 1, maxFailures: 0, canarySharePercent: 50 });
    await pauseRun(adminActor, run.id);
    const outbox = path.join(farm.dataDir, 'outbox');
    const mail = await waitFor('the paused mail', () => {
      const files = fs.existsSync(outbox) ? fs.readdirSync(outbox) : [];
      return files.map((f) => fs.readFileSync(path.join(outbox, f), 'utf8')).find((m) => /^Subject: .*paused$/m.test(m) && m.includes(run.id));
    }, 30_000, 100);
    expect(mail).toContain('ops@example.org');
    expect(mail).toMatch(/Status: paused \(paused by /);
  });
});
