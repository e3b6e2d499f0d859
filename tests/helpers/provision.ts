import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { afterAll, expect } from 'vitest';
import { config } from '../../lib/config';
import { db } from '../../lib/db/client';
import type { Actor } from '../../lib/domain/actor';
import { spipPrefix } from '../../lib/domain/prefix';
import type { ProfileName } from '../../lib/domain/profiles';
import { embeddedServer } from '../../lib/databases';
import { addServer } from '../../lib/databases/server-registry';
import { siteDir } from '../../lib/farm/paths';
import { registerBuiltInHandlers } from '../../lib/jobs/handlers';
import { FINISHED_STATUSES } from '../../lib/jobs/types';
import { Worker } from '../../lib/jobs/worker';
import { addPlatform } from '../../lib/platforms/service';
import { mysqlProbe, postgresProbe, type ServerProbe } from './db-probe';
import { services } from './services';
import { waitFor } from '../fixtures/wait';

export type Engine = 'sqlite' | 'mysql' | 'postgresql';
export const ENGINES: Engine[] = ['sqlite', 'mysql', 'postgresql'];

export const adminActor: Actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' };

export const randomPart = () => crypto.randomBytes(4).toString('hex');

/**
 * A host no other test (or parallel test file) uses. The random part comes first so it
 * lands in SPIP's prefix, hence in the database and account names made for the site.
 */
export const randomHost = (label = 'site') => `t${randomPart()}-${label}.example.org`;

/** What every database and account name of a site starts with (`mu_` + SPIP prefix). */
export const dbNamePrefix = (host: string) => `mu_${spipPrefix(host)}`;

/** A per-test name for a server's shared database (SPIP's shared mode). */
export const sharedDatabaseName = () => `mu_sh${randomPart()}`;

export async function waitForJob(id: string, timeoutMs = 20_000) {
  return waitFor(
    `job ${id} to finish`,
    async () => {
      const job = await db.job.findUniqueOrThrow({ where: { id } });
      return (FINISHED_STATUSES as string[]).includes(job.status) ? job : null;
    },
    timeoutMs,
  );
}

export interface Provisioning {
  /** The admin's view of a real server, opened once per file. */
  probe(engine: 'mysql' | 'postgresql'): Promise<ServerProbe>;
  /**
   * Registers a real server with `addServer` (the test servers' admin password is empty);
   * `sharedDatabase` for shared mode; `adminUser` to administer it with another account.
   */
  addTestServer(engine: 'mysql' | 'postgresql', opts?: { name?: string; sharedDatabase?: string; adminUser?: string }): Promise<DbServer>;
  /** The server of an engine for tests that need one each: registered once per file. */
  serverFor(engine: Engine): Promise<DbServer>;
  /** Drops, at the end of the file, every database and account whose name starts with this. */
  track(namePrefix: string): void;
  /** Tracks a host's database names. */
  trackHost(host: string): string;
  /** A worker with the built-in handlers, stopped at the end of the file. */
  startWorker(): Promise<Worker>;
  /** Stops the workers started so far. */
  stopWorkers(): Promise<void>;
  /** A platform of this profile, pointing at a temporary folder. */
  platform(profile: ProfileName): Promise<{ name: string; codePath: string }>;
  /** The SPIP platform, or on PostgreSQL (which SPIP cannot use) the generic one. */
  platformFor(engine: Engine): Promise<{ name: string; codePath: string }>;
  /** Drops what was tracked so far (also done after the file). */
  cleanup(): Promise<void>;
}

/**
 * Sets up a provisioning test file: the built-in job handlers, lazily opened probes of the
 * real servers, and an afterAll that stops the workers and drops every tracked database
 * and account, whether the tests passed or not. Call after `useTestFarm()`.
 */
export function useProvisioning(): Provisioning {
  registerBuiltInHandlers();
  const probes = new Map<string, Promise<ServerProbe>>();
  const tracked = new Set<string>();
  const workers: Worker[] = [];
  const servers = new Map<Engine, Promise<DbServer>>();
  const platforms = new Map<ProfileName, Promise<{ name: string; codePath: string }>>();
  const folders: string[] = [];

  const probe = (engine: 'mysql' | 'postgresql') => {
    if (!probes.has(engine)) probes.set(engine, engine === 'mysql' ? mysqlProbe() : postgresProbe());
    return probes.get(engine)!;
  };

  const addTestServer: Provisioning['addTestServer'] = async (engine, opts = {}) => {
    const url = engine === 'mysql' ? services.mysqlUrl : services.postgresUrl;
    if (!url) throw new Error(`no ${engine} server for this test (MUTU_TEST_${engine === 'mysql' ? 'MYSQL' : 'POSTGRES'}_URL)`);
    if (opts.sharedDatabase) tracked.add(opts.sharedDatabase);
    const address = new URL(url);
    address.password = '';
    if (opts.adminUser) address.username = opts.adminUser;
    const { server } = await addServer(adminActor, {
      name: opts.name ?? `${engine === 'mysql' ? 'maria' : 'pg'}-${randomPart()}`,
      engine,
      // As an admin would: the password (empty for the test servers) apart, never in the URL.
      url: address.toString(),
      password: decodeURIComponent(new URL(url).password),
      sharedDatabase: opts.sharedDatabase,
    });
    return server;
  };

  const cleanup = async () => {
    const prefixes = [...tracked];
    for (const engine of ['mysql', 'postgresql'] as const) {
      if (!probes.has(engine)) continue;
      const p = await probe(engine);
      for (const prefix of prefixes) for (const name of await p.databases(prefix)) await p.dropDatabase(name);
      for (const prefix of prefixes) for (const name of await p.users(prefix)) await p.dropUser(name);
    }
  };

  afterAll(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // Open the probes of every engine in use, so a test that failed before opening one still cleans up.
    if (services.mysqlUrl) void probe('mysql');
    if (services.postgresUrl) void probe('postgresql');
    try {
      await cleanup();
    } finally {
      for (const p of probes.values()) await (await p).close();
      for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
    }
  });

  const api: Provisioning = {
    probe,
    addTestServer,
    async serverFor(engine) {
      if (!servers.has(engine)) servers.set(engine, engine === 'sqlite' ? embeddedServer() : addTestServer(engine, { name: engine === 'mysql' ? 'maria' : 'pg' }));
      return servers.get(engine)!;
    },
    track: (prefix) => void tracked.add(prefix),
    trackHost(host) {
      const prefix = dbNamePrefix(host);
      tracked.add(prefix);
      return host;
    },
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
    async startWorker() {
      const worker = new Worker({ concurrency: 4, leaseSeconds: 30, pollMs: 20 });
      workers.push(worker);
      await worker.start();
      return worker;
    },
    platformFor(engine) {
      return api.platform(profileFor(engine));
    },
    platform(profile) {
      if (!platforms.has(profile)) {
        platforms.set(
          profile,
          (async () => {
            const codePath = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-platform-${profile}-`));
            folders.push(codePath);
            const p = await addPlatform(adminActor, { name: `${profile}-test`, profile, path: codePath, version: '1.0' });
            return { name: p.name, codePath };
          })(),
        );
      }
      return platforms.get(profile)!;
    },
    cleanup,
  };
  return api;
}

export interface LeftoverCheck {
  host: string;
  engine: Engine;
  /** a webmaster account the request created: it must be gone */
  createdWebmaster?: string;
  /** the activation code whose use must have been given back, with its uses before the request */
  code?: { id: string; usesBefore: number };
  /** shared mode: the shared database, where no table of the site may remain */
  sharedDatabase?: string;
}

/** Asserts that a failed or undone provisioning left nothing: registry, folder, server. */
export async function expectNothingLeft(p: Provisioning, c: LeftoverCheck) {
  const prefix = dbNamePrefix(c.host);
  expect(await db.site.findUnique({ where: { host: c.host } }), `site row of ${c.host}`).toBeNull();
  expect(await db.siteAlias.count({ where: { host: { in: [c.host, `www.${c.host}`] } } }), `aliases of ${c.host}`).toBe(0);
  const orphans = await db.siteDatabase.count({ where: { OR: [{ name: { startsWith: prefix } }, { tablePrefix: { startsWith: spipPrefix(c.host) } }] } });
  expect(orphans, `SiteDatabase rows of ${c.host}`).toBe(0);
  expect(fs.existsSync(siteDir(config().farmRoot, c.host)), `folder of ${c.host}`).toBe(false);
  if (c.engine !== 'sqlite') {
    const probe = await p.probe(c.engine);
    expect(await probe.databases(prefix), `databases of ${c.host} on ${c.engine}`).toEqual([]);
    expect(await probe.users(prefix), `accounts of ${c.host} on ${c.engine}`).toEqual([]);
    if (c.sharedDatabase) {
      const left = (await probe.tables(c.sharedDatabase)).filter((t) => t.startsWith(`${spipPrefix(c.host)}_`));
      expect(left, `tables of ${c.host} in ${c.sharedDatabase}`).toEqual([]);
    }
  }
  if (c.createdWebmaster) expect(await db.user.findUnique({ where: { email: c.createdWebmaster } }), `account ${c.createdWebmaster}`).toBeNull();
  if (c.code) expect((await db.activationCode.findUniqueOrThrow({ where: { id: c.code.id } })).uses, 'uses of the code').toBe(c.code.usesBefore);
}

/** SPIP where it can run (MariaDB/MySQL, SQLite), else generic: what a test of any engine provisions. */
export const profileFor = (engine: Engine): ProfileName => (engine === 'postgresql' ? 'generic' : 'spip');

/** Engines this machine can test: SQLite always, the others when their server is there. */
export const availableEngines = (): Engine[] =>
  ENGINES.filter((e) => e === 'sqlite' || (e === 'mysql' ? !!services.mysqlUrl : !!services.postgresUrl));
