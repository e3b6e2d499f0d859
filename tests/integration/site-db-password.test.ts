import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { runCli } from '../helpers/cli';
import { mysqlAddress, mysqlConnect, postgresPasswordMatches } from '../helpers/db-probe';
import { writeSpipFolder } from '../helpers/farm-folders';
import { readSiteConnection } from '../helpers/php';
import { adminActor, profileFor, randomHost, randomPart, sharedDatabaseName, useProvisioning, waitForJob } from '../helpers/provision';
import { handlerWithStep } from '../fixtures/provision-variant';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { siteDir } from '@/lib/farm/paths';
import { PROFILES } from '@/lib/domain/profiles';
import { registerHandler } from '@/lib/jobs/registry';
import type { Worker } from '@/lib/jobs/worker';
import { adoptSite } from '@/lib/sites/adopt';
import { dbPasswordHandler, registryStep } from '@/lib/sites/db-password-handler';
import { requestDbPasswordChange } from '@/lib/sites/db-password';
import { requestSite } from '@/lib/sites/request';
import { parseSpipConnect } from '@/lib/domain/spip-connect';
import { restoreSnapshot, takeSnapshot } from '@/lib/upgrades/snapshot';

const farm = useTestFarm();
const p = useProvisioning();
let worker: Worker;

beforeAll(async () => {
  worker = await p.startWorker();
  await Promise.all((['sqlite', 'mysql', 'postgresql'] as const).map((e) => p.platformFor(e)));
});
afterAll(() => registerHandler(dbPasswordHandler));

type Engine = 'sqlite' | 'mysql' | 'postgresql';

async function makeSite(engine: Engine, opts: { shared?: boolean } = {}) {
  const host = p.trackHost(randomHost(engine === 'sqlite' ? 'lite' : 'pw'));
  const server = opts.shared ? await p.addTestServer('mysql', { sharedDatabase: sharedDatabaseName() }) : await p.serverFor(engine);
  const { job } = await requestSite(adminActor, { host, platform: (await p.platformFor(engine)).name, server: server.name, sharedDb: opts.shared });
  worker.nudge();
  const end = await waitForJob(job.id);
  if (end.status !== 'succeeded') throw new Error(`creating ${host}: ${end.error}`);
  return host;
}

async function account(host: string) {
  const rec = await db.siteDatabase.findFirstOrThrow({ where: { site: { host } }, include: { server: true } });
  return { rec, password: open(config().secretKey, rec.passwordEnc) };
}

async function changePassword(host: string) {
  const { job } = await requestDbPasswordChange(adminActor, host);
  worker.nudge();
  const end = await waitForJob(job.id, 30_000);
  const log = (await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } })).map((l) => l.message).join('\n');
  return { job: end, log };
}

const connectFile = (host: string) => path.join(siteDir(config().farmRoot, host), 'config/connect.php');
/** The site's connection file: SPIP's connect.php, or the generic mutu.env on PostgreSQL (which SPIP cannot use). */
const connectionFile = (host: string, engine: Engine) => path.join(siteDir(config().farmRoot, host), PROFILES[profileFor(engine)].configFile);

/** Whether MariaDB lets this account in, over TCP or by the server's socket (SPIP's "localhost"). */
async function mariaAccepts(user: string, password: string, database: string, via: 'tcp' | 'socket' = 'tcp'): Promise<boolean> {
  try {
    let c: mysql.Connection;
    if (via === 'tcp') c = await mysqlConnect({ user, password, database });
    else {
      const root = await mysqlConnect();
      const [rows] = await root.query<mysql.RowDataPacket[]>('SELECT @@socket AS s').finally(() => root.end());
      c = await mysql.createConnection({ socketPath: String(rows[0]!.s), user, password, database });
    }
    await c.end();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_ACCESS_DENIED_ERROR') return false;
    throw err;
  }
}

/** Whether the server holds `password` for the site's account: MariaDB by logging in, PostgreSQL (which trusts local logins here) by its verifier. */
async function serverTakes(engine: 'mysql' | 'postgresql', user: string, database: string, password: string) {
  return engine === 'mysql' ? mariaAccepts(user, password, database) : postgresPasswordMatches(user, password);
}

describe.each(['mysql', 'postgresql'] as const)('a new database password for a site on %s', (engine) => {
  const skip = engine === 'mysql' ? !services.mysqlUrl : !services.postgresUrl;

  it.skipIf(skip)('is set on the server, written into the connection file and the registry, and the old one stops working', async () => {
    const host = await makeSite(engine);
    const before = await account(host);
    const modeBefore = fs.statSync(connectionFile(host, engine)).mode;
    const { job, log } = await changePassword(host);
    expect(job.status, log).toBe('succeeded');

    const after = await account(host);
    expect(after.password).not.toBe(before.password);
    expect(after.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await serverTakes(engine, after.rec.user, after.rec.name, after.password)).toBe(true);
    expect(await serverTakes(engine, after.rec.user, after.rec.name, before.password)).toBe(false);
    const text = fs.readFileSync(connectionFile(host, engine), 'utf8');
    expect(text).toContain(`'${after.password}'`);
    expect(text).not.toContain(before.password);
    expect(fs.statSync(connectionFile(host, engine)).mode).toBe(modeBefore);
    if (services.php) expect((await readSiteConnection(siteDir(config().farmRoot, host), profileFor(engine))).password).toBe(after.password);
    expect(log).toContain(`logs in to ${after.rec.name} with the new password`);
    for (const secret of [before.password, after.password]) expect(log).not.toContain(secret);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'site.db-password', siteHost: host } });
    expect(audit.ok).toBe(true);
  });

  it.skipIf(skip)('is undone when a step fails: the old password back on the server, in the file and in the registry', async () => {
    const host = await makeSite(engine);
    const before = await account(host);
    const fileBefore = fs.readFileSync(connectionFile(host, engine));
    registerHandler(handlerWithStep(dbPasswordHandler, registryStep, async () => {
      throw new Error('injected failure before the registry step');
    }));
    try {
      const { job, log } = await changePassword(host);
      expect(job.status).toBe('failed');
      expect(log).toMatch(/undone: connection file[\s\S]*undone: server/);
    } finally {
      registerHandler(dbPasswordHandler);
    }
    const after = await account(host);
    expect(after.rec.passwordEnc).toBe(before.rec.passwordEnc);
    expect(fs.readFileSync(connectionFile(host, engine)).equals(fileBefore)).toBe(true);
    expect(await serverTakes(engine, before.rec.user, before.rec.name, before.password)).toBe(true);
  });
});

describe.skipIf(!services.mysqlUrl)('a snapshot taken before the password changed', () => {
  it('restores the config folder with the password the server now holds', async () => {
    const host = await makeSite('mysql');
    const site = await db.site.findUniqueOrThrow({ where: { host }, include: { platform: true } });
    const snapshot = await takeSnapshot({ siteId: site.id, host, platform: site.platform, jobId: (await db.job.create({ data: { kind: 'site.upgrade', status: 'succeeded' } })).id, reason: 'upgrade' });
    const { job, log } = await changePassword(host);
    expect(job.status, log).toBe('succeeded');
    const now = await account(host);

    await restoreSnapshot(snapshot.path, site.id, host, site.platform.profile);
    expect(parseSpipConnect(fs.readFileSync(connectFile(host), 'utf8'))?.password).toBe(now.password);
    expect(await mariaAccepts(now.rec.user, now.password, now.rec.name)).toBe(true);
  });
});

describe.skipIf(!services.mysqlUrl)('an adopted MariaDB site', () => {
  it('gets the new password on each of its accounts, and its connect.php keeps its own lines, mode and group', async () => {
    const tag = randomPart();
    const [user, database, password] = [`mu_pa${tag}`, `mu_pa${tag}`, `old-${randomPart()}`];
    p.track(user);
    const root = await mysqlConnect();
    try {
      await root.query(`CREATE DATABASE ${database}`);
      for (const from of ['localhost', '127.0.0.1']) {
        await root.query('CREATE USER ?@? IDENTIFIED BY ?', [user, from, password]);
        await root.query(`GRANT ALL ON ${database}.* TO ?@?`, [user, from]);
      }
    } finally {
      await root.end();
    }
    const host = randomHost('adopted');
    // "localhost": SPIP reaches MariaDB by its socket, as user@localhost
    writeSpipFolder(host, ['localhost', '', user, password, database, 'mysql', 'spip', '', 'utf8']);
    const file = connectFile(host);
    fs.chmodSync(file, 0o644);
    const group = process.getuid?.() === 0 ? 33 : fs.statSync(file).gid; // www-data, when the test may give it
    fs.chownSync(file, fs.statSync(file).uid, group);
    const original = fs.readFileSync(file, 'utf8');
    await adoptSite(adminActor, host);

    const { job, log } = await changePassword(host);
    expect(job.status, log).toBe('succeeded');
    const { password: next } = await account(host);
    expect(fs.readFileSync(file, 'utf8')).toBe(original.replace(`'${password}'`, `'${next}'`));
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(fs.statSync(file).gid).toBe(group);
    for (const via of ['socket', 'tcp'] as const) {
      expect(await mariaAccepts(user, next, database, via), via).toBe(true);
      expect(await mariaAccepts(user, password, database, via), via).toBe(false);
    }
  });
});

describe('refusals', () => {
  it('a SQLite site has no account to give a password to', async () => {
    const host = await makeSite('sqlite');
    await expect(requestDbPasswordChange(adminActor, host)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('SQLite file, which has no account') });
  });

  it.skipIf(!services.mysqlUrl)("a site in a shared database, and a site whose account another site uses", async () => {
    const shared = await makeSite('mysql', { shared: true });
    await expect(requestDbPasswordChange(adminActor, shared)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('every site there uses') });

    const tag = randomPart();
    const user = `mu_ps${tag}`;
    p.track(user);
    const root = await mysqlConnect();
    try {
      await root.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '127.0.0.1', 'shared-secret']);
      for (const n of [1, 2]) {
        await root.query(`CREATE DATABASE ${user}_${n}`);
        await root.query(`GRANT ALL ON ${user}_${n}.* TO ?@'127.0.0.1'`, [user]);
      }
    } finally {
      await root.end();
    }
    const { port } = mysqlAddress();
    const [one, two] = [randomHost('one'), randomHost('two')];
    writeSpipFolder(one, ['127.0.0.1', String(port), user, 'shared-secret', `${user}_1`, 'mysql', 'spip', '', 'utf8']);
    writeSpipFolder(two, ['127.0.0.1', String(port), user, 'shared-secret', `${user}_2`, 'mysql', 'spip', '', 'utf8']);
    await adoptSite(adminActor, one);
    await expect(requestDbPasswordChange(adminActor, one)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`is also used by the folder`) });
    await adoptSite(adminActor, two);
    await expect(requestDbPasswordChange(adminActor, one)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`is also used by the site ${two}`) });
    expect(await db.job.count({ where: { kind: 'site.db-password', target: { in: [shared, one, two] } } })).toBe(0);
  });
});

describe.skipIf(!services.mysqlUrl)('mutu sites db-password', () => {
  it('changes the password as a real command, printing neither password', async () => {
    const host = await makeSite('mysql');
    const before = await account(host);
    const r = await runCli(['sites', 'db-password', '--host', host], { env: farm.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${host} uses its new database password; the old one no longer works.`);
    const after = await account(host);
    expect(after.password).not.toBe(before.password);
    for (const secret of [before.password, after.password]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(await mariaAccepts(after.rec.user, after.password, after.rec.name)).toBe(true);
  });
});
