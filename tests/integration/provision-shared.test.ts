import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { adminActor, profileFor, randomHost, sharedDatabaseName, useProvisioning, waitForJob } from '../helpers/provision';
import { mysqlConnect, postgresConnect, postgresPasswordMatches } from '../helpers/db-probe';
import { readSiteConnection } from '../helpers/php';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { serverOptions } from '@/lib/databases/connections';
import { spipPrefix } from '@/lib/domain/prefix';
import { siteDir } from '@/lib/farm/paths';
import { requestDestroy } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';

useTestFarm();
const p = useProvisioning();

type Net = 'mysql' | 'postgresql';

/** Runs SQL as the shared account, in the shared database. */
async function asShared(engine: Net, account: { user: string; password: string; database: string }, sql: string[]) {
  if (engine === 'mysql') {
    const c = await mysqlConnect(account);
    try {
      for (const s of sql) await c.query(s);
    } finally {
      await c.end();
    }
  } else {
    const c = await postgresConnect(account);
    try {
      for (const s of sql) await c.query(s);
    } finally {
      await c.end();
    }
  }
}

async function provision(server: string, hosts: string[], platform: string) {
  const worker = await p.startWorker();
  const jobs = await Promise.all(hosts.map((host) => requestSite(adminActor, { host, server, sharedDb: true, platform })));
  worker.nudge();
  for (const { job } of jobs) {
    const done = await waitForJob(job.id);
    if (done.status !== 'succeeded') throw new Error(`provisioning failed: ${done.error}`);
  }
  return Promise.all(hosts.map((host) => db.site.findUniqueOrThrow({ where: { host }, include: { database: { include: { server: true } } } })));
}

// SPIP's mode, for any application: SPIP's platform on MariaDB, the generic one on PostgreSQL (which SPIP cannot use).
describe.each(['mysql', 'postgresql'] as const)("SPIP's shared-database mode on %s", (engine) => {
  const skip = engine === 'mysql' ? !services.mysqlUrl : !services.postgresUrl;
  const connectionOf = (host: string) => readSiteConnection(siteDir(config().farmRoot, host), profileFor(engine));

  it.skipIf(skip)('gives two sites distinct prefixes in one database, and destroying one drops only its tables', async () => {
    const shared = sharedDatabaseName();
    const server = await p.addTestServer(engine, { sharedDatabase: shared });
    const platform = (await p.platformFor(engine)).name;
    const hosts = [p.trackHost(randomHost('sa')), p.trackHost(randomHost('sb'))];
    const [a, b] = await provision(server.name, hosts, platform);

    const stored = await db.dbServer.findUniqueOrThrow({ where: { id: server.id } });
    const sharedPassword = open(config().secretKey, String(serverOptions(stored).sharedPasswordEnc));
    for (const site of [a!, b!]) {
      const rec = site.database!;
      expect(rec).toMatchObject({ shared: true, name: shared, user: shared, tablePrefix: spipPrefix(site.host), slot: `prefix:${spipPrefix(site.host)}` });
      expect(open(config().secretKey, rec.passwordEnc)).toBe(sharedPassword);
      if (services.php) {
        expect(await connectionOf(site.host)).toEqual({ host: server.host, port: String(server.port), user: shared, password: sharedPassword, database: shared, prefix: rec.tablePrefix });
      }
    }
    const [pa, pb] = [a!.database!.tablePrefix, b!.database!.tablePrefix];
    expect(pa).not.toBe(pb);
    // No database of its own for either site: only the shared one.
    const probe = await p.probe(engine);
    for (const host of hosts) expect(await probe.databases(`mu_${spipPrefix(host)}`)).toEqual([]);
    if (engine === 'postgresql') expect(await postgresPasswordMatches(shared, sharedPassword)).toBe(true);

    // Each site's tables, made through the shared account as SPIP would.
    await asShared(engine, { user: shared, password: sharedPassword, database: shared }, [
      `CREATE TABLE ${pa}_articles (id INT PRIMARY KEY)`,
      `CREATE TABLE ${pa}_auteurs (id INT PRIMARY KEY)`,
      `CREATE TABLE ${pb}_articles (id INT PRIMARY KEY)`,
    ]);
    expect(await probe.tables(shared)).toEqual([`${pa}_articles`, `${pa}_auteurs`, `${pb}_articles`].sort());

    const worker = await p.startWorker();
    const { job } = await requestDestroy(adminActor, a!.host, a!.host);
    worker.nudge();
    expect((await waitForJob(job.id)).status).toBe('succeeded');
    expect(await probe.tables(shared)).toEqual([`${pb}_articles`]);
    expect(await probe.databases(shared)).toEqual([shared]);
    expect(await probe.users(shared)).toEqual([shared]);
    // The other site still works through the shared account.
    await asShared(engine, { user: shared, password: sharedPassword, database: shared }, [`INSERT INTO ${pb}_articles VALUES (1)`]);
    expect(await db.site.findUnique({ where: { host: a!.host } })).toBeNull();
    expect(await db.site.findUniqueOrThrow({ where: { host: b!.host } })).toMatchObject({ status: 'active' });
  });

  it.skipIf(skip)('gives another server entry with its own shared database its own working account', async () => {
    // Two farms (or two entries) on one physical server must not share, or fight over, one account.
    const shared = sharedDatabaseName();
    const server = await p.addTestServer(engine, { sharedDatabase: shared });
    const [site] = await provision(server.name, [p.trackHost(randomHost('sc'))], (await p.platformFor(engine)).name);
    const rec = site!.database!;
    expect(rec).toMatchObject({ name: shared, user: shared });
    const password = open(config().secretKey, rec.passwordEnc);
    if (engine === 'postgresql') expect(await postgresPasswordMatches(rec.user, password)).toBe(true);
    await asShared(engine, { user: rec.user, password, database: shared }, [`CREATE TABLE ${rec.tablePrefix}_articles (id INT PRIMARY KEY)`]);
    expect(await (await p.probe(engine)).tables(shared)).toEqual([`${rec.tablePrefix}_articles`]);
  });

  /** The password the server really holds for an account (PostgreSQL here trusts local logins: its verifier says). */
  async function serverHolds(user: string, password: string): Promise<boolean> {
    if (engine === 'postgresql') return postgresPasswordMatches(user, password);
    return asShared(engine, { user, password, database: user }, ['SELECT 1']).then(() => true, () => false);
  }

  it.skipIf(skip)('works when the shared account already existed with a password the registry did not hold', async () => {
    // The registry was set up again: the server still has the shared account, with a password nobody here knows.
    const shared = sharedDatabaseName();
    p.track(shared);
    const lost = `lost-${Math.random().toString(36).slice(2)}`;
    if (engine === 'mysql') {
      const root = await mysqlConnect();
      await root.query(`CREATE DATABASE ${shared}`);
      await root.query(`CREATE USER '${shared}'@'localhost' IDENTIFIED BY '${lost}'`);
      await root.query(`CREATE USER '${shared}'@'127.0.0.1' IDENTIFIED BY '${lost}'`);
      await root.query(`GRANT ALL ON ${shared}.* TO '${shared}'@'localhost', '${shared}'@'127.0.0.1'`);
      await root.end();
    } else {
      const root = await postgresConnect();
      await root.query(`CREATE ROLE ${shared} LOGIN PASSWORD '${lost}'`);
      await root.query(`CREATE DATABASE ${shared} OWNER ${shared}`);
      await root.end();
    }
    const server = await p.addTestServer(engine, { sharedDatabase: shared });
    const [site] = await provision(server.name, [p.trackHost(randomHost('sx'))], (await p.platformFor(engine)).name);
    const rec = site!.database!;
    const password = open(config().secretKey, rec.passwordEnc);
    expect(password).not.toBe(lost);
    // The server now holds the password the site's connection file carries: SPIP can log in.
    expect(await serverHolds(shared, password)).toBe(true);
    expect((await connectionOf(site!.host)).password).toBe(password);
    const log = (await db.jobLog.findMany({ where: { job: { siteId: site!.id } } })).map((l) => l.message).join('\n');
    expect(log).toContain(`the shared account ${shared} exists on ${server.name} with a password the registry does not hold`);
    expect(log).toContain("the site's own login works");
  });

  it.skipIf(skip)('a second registration of the same server and shared database reuses the account and its password', async () => {
    const shared = sharedDatabaseName();
    const first = await p.addTestServer(engine, { sharedDatabase: shared });
    const platform = (await p.platformFor(engine)).name;
    const [a] = await provision(first.name, [p.trackHost(randomHost('sy'))], platform);
    const second = await p.addTestServer(engine, { sharedDatabase: shared });
    const [b] = await provision(second.name, [p.trackHost(randomHost('sz'))], platform);
    const pa = open(config().secretKey, a!.database!.passwordEnc);
    const pb = open(config().secretKey, b!.database!.passwordEnc);
    expect(pb).toBe(pa);
    expect(await serverHolds(shared, pa)).toBe(true);
  });
});
