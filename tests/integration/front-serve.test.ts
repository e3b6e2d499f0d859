import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontUnavailable, useTestFront } from '../helpers/front';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, randomHost, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { siteSql } from '../helpers/export-sites';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { setupFront } from '@/lib/front/farm';
import { readLog } from '@/lib/jobs/queue';
import { addPlatform } from '@/lib/platforms/service';
import { requestSite } from '@/lib/sites/request';

const unavailable = frontUnavailable();
const front = useTestFront();
const farmRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-farm-'));
useTestFarm({ ...front.env, MUTU_ROOT: farmRoot });
const p = useProvisioning();
const APP = path.resolve(import.meta.dirname, '../fixtures/php-app');
const accounts: string[] = [];

afterAll(async () => {
  await p.stopWorkers();
  for (const s of await db.site.findMany({ where: { unixUser: { not: null } } })) accounts.push(s.unixUser!);
  const { removeUnixUsers } = await import('../helpers/front');
  removeUnixUsers(accounts);
  fs.rmSync(farmRoot, { recursive: true, force: true });
});

/** The test application, copied where every site's user can read it, as a platform. */
async function appPlatform(version: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-php-app-${version}-`));
  fs.cpSync(APP, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
  fs.chmodSync(dir, 0o755);
  return addPlatform(adminActor, { name: `php-app-${version}-${path.basename(dir).slice(-6).toLowerCase()}`, profile: 'generic', path: dir, version });
}

async function makeSite(engine: Engine, platform: string) {
  const host = p.trackHost(randomHost(engine.slice(0, 5)));
  const server = await p.serverFor(engine);
  const r = await requestSite(adminActor, { host, platform, server: server.name });
  const job = await waitForJob(r.job.id, 60_000);
  const log = (await readLog(job.id, 0, 500)).lines.map((l) => l.message).join('\n');
  expect(job.status, log).toBe('succeeded');
  const site = await db.site.findUniqueOrThrow({ where: { host } });
  const a = await siteDbAccess(site.id);
  const t = `${a.tablePrefix ? `${a.tablePrefix}_` : ''}articles`;
  await siteSql(a, [`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, titre VARCHAR(100))`, `INSERT INTO ${t} (id, titre) VALUES (1, 'hello from ${engine}')`]);
  return { host, site, log };
}

describe.skipIf(!!unavailable)('the front serves the sites', () => {
  let v1: Awaited<ReturnType<typeof appPlatform>>;
  beforeAll(async () => {
    await setupFront();
    await front.start();
    await p.startWorker();
    v1 = await appPlatform('1');
  });

  it.each(availableEngines())('a new %s site answers through nginx with its own row, as its own user', async (engine) => {
    const { host, site, log } = await makeSite(engine, v1.name);
    expect(log).toMatch(/front: \d+ files written and checked, PHP-FPM 8.2 and nginx reloaded/);
    const fresh = await db.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(fresh.unixUser).toMatch(/^mu-/);
    const r = await front.get(host);
    expect(r.status, r.body + front.fpmLog()).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ app: 'php-app', version: '1', host, user: fresh.unixUser, engine, row: `hello from ${engine}`, wrote: 'data/visit.txt' });
  });
});
