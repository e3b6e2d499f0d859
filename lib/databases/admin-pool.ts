import type { DbServer } from '@prisma/client';
import type { DbDriver } from './driver';

/** An idle admin connection is closed after this long: a server restarted meanwhile is met on a fresh one. */
const IDLE_MS = 5000;
/** Idle connections kept per server: about the worker's jobs at once. */
const MAX_IDLE = 4;

interface Idle {
  driver: DbDriver;
  timer: NodeJS.Timeout;
}

const idle = new Map<string, Idle[]>();
let keepers = 0;

/**
 * Keeps admin connections open between uses while the returned function has not been called:
 * a worker holds this from its start to its stop, so its jobs on one server share a connection
 * instead of each opening (and on PostgreSQL closing) its own. Elsewhere each use has its own.
 */
export function keepAdminConnections(): () => Promise<void> {
  keepers++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--keepers === 0) await closeIdle();
  };
}

/**
 * What makes a connection the same: the server, its address, admin account and options (the
 * host mask a MySQL driver grants from). A server changed meanwhile gets new connections.
 */
const keyOf = (s: DbServer) => JSON.stringify([s.id, s.host, s.port, s.adminUser, s.adminPasswordEnc, s.options]);

/** A kept driver of this server, or null. */
export function takeAdminDriver(server: DbServer): DbDriver | null {
  const list = idle.get(keyOf(server));
  for (let entry = list?.pop(); entry; entry = list?.pop()) {
    clearTimeout(entry.timer);
    if (entry.driver.reusable?.() ?? false) return entry.driver;
    void entry.driver.close();
  }
  return null;
}

/** Gives a driver back after a use that went well: kept while a worker holds the pool, else closed. */
export async function giveBackAdminDriver(server: DbServer, driver: DbDriver): Promise<void> {
  const key = keyOf(server);
  const list = idle.get(key) ?? [];
  if (!keepers || list.length >= MAX_IDLE || !(driver.reusable?.() ?? false)) {
    await driver.close();
    return;
  }
  const entry: Idle = {
    driver,
    timer: setTimeout(() => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
      if (!list.length && idle.get(key) === list) idle.delete(key);
      void driver.close();
    }, IDLE_MS),
  };
  entry.timer.unref();
  list.push(entry);
  idle.set(key, list);
}

async function closeIdle(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  for (const entry of all) clearTimeout(entry.timer);
  await Promise.allSettled(all.map((entry) => entry.driver.close()));
}
