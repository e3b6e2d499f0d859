import { createClient, type Client, type Config, type InStatement, type TransactionMode } from '@libsql/client';
import { PrismaLibSQL } from '@prisma/adapter-libsql';

// The web server, the worker and the CLI write the registry from separate processes:
// each connection waits for a lock instead of failing at once with SQLITE_BUSY.
const BUSY_TIMEOUT_MS = 15_000;

/**
 * libSQL opens a fresh connection after every transaction, so the busy timeout is set
 * again on the first statement that follows one.
 */
function withBusyTimeout(inner: Client): Client {
  let fresh = true;
  const ready = async () => {
    if (fresh) {
      fresh = false;
      await inner.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'execute' || prop === 'batch' || prop === 'executeMultiple') {
        return async (...args: unknown[]) => {
          await ready();
          return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === 'transaction') {
        return async (mode?: TransactionMode) => {
          await ready();
          // IMMEDIATE: take the write lock at BEGIN, so a transaction that reads then writes
          // waits its turn (busy timeout) instead of failing when another process wrote meanwhile.
          const tx = await target.transaction(mode === 'deferred' || mode === undefined ? 'write' : mode);
          fresh = true;
          return tx;
        };
      }
      // The client keeps its connection in private fields (#db): its methods and getters
      // must see the client itself as `this`, never the proxy.
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export class MutuLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return withBusyTimeout(createClient(config));
  }
}

export type { InStatement };
