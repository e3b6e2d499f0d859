import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { availableEngines, useProvisioning } from '../helpers/provision';
import { mysqlConnect, postgresConnect } from '../helpers/db-probe';
import type { DbDriver } from '@/lib/databases/driver';

useTestFarm();
const p = useProvisioning();
const { withDriver } = await import('@/lib/databases');
const { keepAdminConnections } = await import('@/lib/databases/admin-pool');

const engines = availableEngines().filter((e): e is 'mysql' | 'postgresql' => e !== 'sqlite');

/** The server's id of the driver's admin session (the test reaches into the driver for it). */
function sessionOf(driver: DbDriver): number {
  const d = driver as unknown as { conn?: { connection: { threadId: number } }; client?: { processID: number } };
  return d.conn ? d.conn.connection.threadId : d.client!.processID;
}

/** Ends a session from another admin connection, as a server restart or an operator would. */
async function killSession(engine: 'mysql' | 'postgresql', id: number) {
  if (engine === 'mysql') {
    const c = await mysqlConnect();
    await c.query(`KILL ${Number(id)}`);
    await c.end();
  } else {
    const c = await postgresConnect();
    await c.query('SELECT pg_terminate_backend($1)', [id]);
    await c.end();
  }
}

/** One use of the server's admin driver (a ping), handing back the driver it was given. */
const driverOfOneUse = (server: Parameters<typeof withDriver>[0]) =>
  withDriver(server, undefined, async (d) => {
    await d.ping();
    return d;
  });

const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) await release();
});
const keep = () => {
  const release = keepAdminConnections();
  releases.push(release);
  return release;
};

describe.runIf(engines.length)('admin connections kept while a worker runs', () => {
  it.each(engines)('%s: one connection serves use after use, and is closed when the worker lets go', async (engine) => {
    const server = await p.serverFor(engine);
    const use = () => driverOfOneUse(server);

    // Without a worker: a connection per use.
    const [a, b] = [await use(), await use()];
    expect(a).not.toBe(b);

    const release = keep();
    const first = await use();
    const session = sessionOf(first);
    const again = await use();
    expect(again).toBe(first);
    expect(sessionOf(again)).toBe(session);
    // Two uses at once: each its own connection, both kept.
    const [x, y] = await Promise.all([use(), use()]);
    expect(x).not.toBe(y);

    await release();
    expect(first.reusable?.()).toBe(false);
    expect(x.reusable?.()).toBe(false);
    expect(y.reusable?.()).toBe(false);
  });

  it.each(engines)('%s: a failed use, or a connection the server ended, is not used again', async (engine) => {
    const server = await p.serverFor(engine);
    keep();
    const first = await driverOfOneUse(server);
    const failed = withDriver(server, undefined, async (d) => {
      expect(d).toBe(first);
      return d.databaseExists('Not A Name');
    });
    await expect(failed).rejects.toThrow();
    expect(first.reusable?.()).toBe(false);

    const second = await driverOfOneUse(server);
    expect(second).not.toBe(first);
    await killSession(engine, sessionOf(second));
    // The session's end reaches the kept connection as an event: it is dropped, never an uncaught error.
    for (let i = 0; i < 50 && second.reusable?.(); i++) await sleep(20);
    expect(second.reusable?.()).toBe(false);
    const third = await driverOfOneUse(server);
    expect(third).not.toBe(second);
  });

  it.each(engines)('%s: a server whose row changed gets a connection of its own', async (engine) => {
    const server = await p.serverFor(engine);
    keep();
    const first = await driverOfOneUse(server);
    const changed = { ...server, options: { ...(server.options as object), changedForTheTest: true } };
    const other = await driverOfOneUse(changed);
    expect(other).not.toBe(first);
    expect(await driverOfOneUse(server)).toBe(first);
  });
});
