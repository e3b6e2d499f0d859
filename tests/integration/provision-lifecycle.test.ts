import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, dbNamePrefix, profileFor, randomHost, randomPart, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { PROFILES } from '@/lib/domain/profiles';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { farmPaths, siteDir } from '@/lib/farm/paths';
import { requestDestroy, setSiteEnabled } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { SiteError } from '@/lib/sites/errors';

useTestFarm();
const p = useProvisioning();

const hosts = new Map<Engine, string>();

beforeAll(async () => {
  const worker = await p.startWorker();
  const jobs = await Promise.all(
    availableEngines().map(async (engine) => {
      const host = p.trackHost(randomHost('life'));
      hosts.set(engine, host);
      const server = await p.serverFor(engine);
      const platform = (await p.platformFor(engine)).name;
      return (await requestSite(adminActor, { host, platform, server: server.name, webmaster: `wm-${randomPart()}@example.org` })).job.id;
    }),
  );
  worker.nudge();
  for (const id of jobs) expect((await waitForJob(id)).status).toBe('succeeded');
});

const auditOf = async (host: string) => (await db.auditEvent.findMany({ where: { siteHost: host }, orderBy: { id: 'asc' } })).map((a) => ({ action: a.action, ok: a.ok, source: a.source }));

describe('disable and enable', () => {
  it('change the status, keep everything, and are audited', async () => {
    const host = hosts.get('sqlite')!;
    const before = await db.site.findUniqueOrThrow({ where: { host }, include: { database: true } });
    const disabled = await setSiteEnabled(adminActor, host, false);
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    await expect(setSiteEnabled(adminActor, host, false)).rejects.toMatchObject({ status: 409 });
    expect(fs.existsSync(path.join(siteDir(config().farmRoot, host), 'config/connect.php'))).toBe(true);
    expect(await db.siteDatabase.findUnique({ where: { siteId: before.id } })).toEqual(before.database);

    const enabled = await setSiteEnabled(adminActor, host.toUpperCase(), true);
    expect(enabled).toMatchObject({ status: 'active', disabledAt: null });
    await expect(setSiteEnabled(adminActor, host, true)).rejects.toMatchObject({ status: 409 });
    const audit = (await auditOf(host)).map((a) => a.action);
    expect(audit.slice(-2)).toEqual(['site.disable', 'site.enable']);
    await expect(setSiteEnabled(adminActor, `nobody-${randomPart()}.example.org`, false)).rejects.toMatchObject({ status: 404 });
  });
});

describe('destroy', () => {
  it('is refused when the typed host is not the site host, and for an unknown site', async () => {
    const host = hosts.get('sqlite')!;
    for (const typed of ['', 'yes', `www.${host}`, host.toUpperCase(), `${host} `]) {
      const err = await requestDestroy(adminActor, host, typed).catch((e: unknown) => e);
      expect(err, JSON.stringify(typed)).toBeInstanceOf(SiteError);
      expect(err).toMatchObject({ status: 422 });
    }
    await expect(requestDestroy(adminActor, `nobody-${randomPart()}.example.org`, 'x')).rejects.toMatchObject({ status: 404 });
    expect(await db.site.findUniqueOrThrow({ where: { host } })).toMatchObject({ status: 'active' });
    expect(await db.job.count({ where: { kind: 'site.destroy' } })).toBe(0);
  });

  it('drops the database and user, moves the folder to the trash, removes the row, and is audited', async () => {
    const worker = await p.startWorker();
    const engines = availableEngines();
    const requests = [];
    for (const engine of engines) {
      const host = hosts.get(engine)!;
      const site = await db.site.findUniqueOrThrow({ where: { host }, include: { database: true } });
      const { job } = await requestDestroy(adminActor, host, host);
      requests.push({ engine, host, site, job });
    }
    worker.nudge();
    for (const r of requests) {
      const job = await waitForJob(r.job.id);
      expect(job.status, `${r.engine}: ${job.error}`).toBe('succeeded');
      expect(await db.site.findUnique({ where: { host: r.host } })).toBeNull();
      expect(await db.siteAlias.count({ where: { host: `www.${r.host}` } })).toBe(0);
      expect(await db.siteDatabase.count({ where: { siteId: r.site.id } })).toBe(0);
      expect(fs.existsSync(siteDir(config().farmRoot, r.host))).toBe(false);
      const trash = farmPaths(config().farmRoot).trash;
      const moved = fs.readdirSync(trash).filter((f) => f.startsWith(`${r.host}-`));
      expect(moved).toHaveLength(1);
      expect(fs.existsSync(path.join(trash, moved[0]!, PROFILES[profileFor(r.engine)].configFile))).toBe(true);
      if (r.engine === 'sqlite') {
        // The embedded database is a file in the folder: it went to the trash with it.
        expect(fs.existsSync(path.join(trash, moved[0]!, 'config/bases', `${r.site.database!.name}.sqlite`))).toBe(true);
      } else {
        const probe = await p.probe(r.engine);
        expect(await probe.databases(dbNamePrefix(r.host))).toEqual([]);
        expect(await probe.users(dbNamePrefix(r.host))).toEqual([]);
      }
      const audit = await auditOf(r.host);
      expect(audit).toEqual(expect.arrayContaining([
        { action: 'site.destroy.request', ok: true, source: 'cli' },
        { action: 'site.destroy', ok: true, source: 'cli' },
      ]));
      const done = await db.auditEvent.findFirstOrThrow({ where: { siteHost: r.host, action: 'site.destroy' } });
      expect(done.details).toMatchObject({ jobId: r.job.id, trash: path.join(trash, moved[0]!) });
    }
  });

  it('is refused while the site is being created', async () => {
    await p.stopWorkers(); // the job stays queued: the site stays "provisioning"
    const host = p.trackHost(randomHost('busy'));
    await requestSite(adminActor, { host });
    await expect(requestDestroy(adminActor, host, host)).rejects.toMatchObject({ status: 409 });
  });
});
