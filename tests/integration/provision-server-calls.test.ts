import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { MysqlDriver } from '@/lib/databases/mysql-driver';
import { PostgresDriver } from '@/lib/databases/postgres-driver';
import { requestSite } from '@/lib/sites/request';

useTestFarm();
const p = useProvisioning();

const engines = availableEngines().filter((e): e is 'mysql' | 'postgresql' => e !== 'sqlite');
const DRIVER = { mysql: MysqlDriver, postgresql: PostgresDriver };

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(engines.length)('what provisioning asks of a database server', () => {
  it.each(engines)('%s: each name is checked once, and the worker keeps one admin connection for site after site', async (engine) => {
    const server = await p.serverFor(engine);
    const platform = await p.platformFor(engine);
    const proto = DRIVER[engine].prototype;
    const databaseExists = vi.spyOn(proto, 'databaseExists');
    const userExists = vi.spyOn(proto, 'userExists');
    const close = vi.spyOn(proto, 'close');
    await p.startWorker();
    for (const label of ['one', 'two', 'three']) {
      const r = await requestSite(adminActor, { host: p.trackHost(randomHost(label)), platform: platform.name, server: server.name });
      const job = await waitForJob(r.job.id);
      expect(job.status, job.error ?? '').toBe('succeeded');
    }
    // The names found free when they were reserved are not asked about again before they are made.
    expect(databaseExists).toHaveBeenCalledTimes(3);
    expect(userExists).toHaveBeenCalledTimes(3);
    // Three jobs one after the other on one connection, closed when the worker stops.
    expect(close).not.toHaveBeenCalled();
    await p.stopWorkers();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
