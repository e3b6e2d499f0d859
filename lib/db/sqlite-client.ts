import { createClient, LibsqlError, type Client, type Config, type InStatement, type Transaction, type TransactionMode } from '@libsql/client';
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { registryFile } from '../config/registry-url';
import { BUSY_TIMEOUT_MS } from './sqlite-busy';
import { cachedStatementClient } from './sqlite-statements';

/**
 * A transaction on the client's own connection. libSQL's own `transaction()` hands its
 * connection to the transaction and opens a new one for what follows: every transaction paid
 * a connection's opening (its schema read again, its statements prepared again: 8 to 10 ms
 * on a loaded machine against 0.3 ms for a query), and the old connection stayed open until
 * garbage-collected. Sharing the connection is safe here: Prisma's adapter holds the
 * client's lock from BEGIN to COMMIT or ROLLBACK, so nothing else runs on it meanwhile.
 */
function transactionOn(inner: Client, mode: TransactionMode | undefined): Promise<Transaction> {
  let open = true;
  const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
    if (!open) return;
    open = false;
    try {
      await inner.execute(sql);
    } catch (err) {
      // A COMMIT refused leaves the transaction open on the shared connection: end it.
      if (sql === 'COMMIT') await inner.execute('ROLLBACK').catch(() => {});
      throw err;
    }
  };
  const closedError = () => new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
  const tx: Transaction = {
    async execute(stmt: InStatement) {
      if (!open) throw closedError();
      return inner.execute(stmt);
    },
    async batch(stmts: InStatement[]) {
      const results = [];
      for (const stmt of stmts) results.push(await tx.execute(stmt));
      return results;
    },
    async executeMultiple() {
      throw new LibsqlError('executeMultiple is not available inside a transaction here', 'NOT_SUPPORTED');
    },
    commit: () => end('COMMIT'),
    rollback: () => end('ROLLBACK'),
    close() {
      void end('ROLLBACK').catch(() => {});
    },
    get closed() {
      return !open;
    },
  };
  // IMMEDIATE: take the write lock at BEGIN, so a transaction that reads then writes waits
  // its turn (busy timeout) instead of failing when another process wrote meanwhile.
  return inner.execute(mode === 'read' ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE').then(() => tx);
}

/** The busy timeout set on the connection, and transactions kept on it (above). */
function withBusyTimeout(inner: Client): Client {
  let ready: Promise<unknown> | undefined;
  const once = () => (ready ??= inner.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`));
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'execute' || prop === 'batch' || prop === 'executeMultiple') {
        return async (...args: unknown[]) => {
          await once();
          return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === 'transaction') {
        return async (mode?: TransactionMode) => {
          await once();
          return transactionOn(target, mode);
        };
      }
      // The client keeps its connection in private fields (#db): its methods and getters
      // must see the client itself as `this`, never the proxy.
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A plain registry file (no `:memory:`, no URL options) is opened with its statements kept prepared. */
function opened(config: Config): Client {
  const plainFile = /^file:[^?#]+$/.test(config.url) && !config.url.includes(':memory:');
  return plainFile ? cachedStatementClient(registryFile(config.url)) : createClient(config);
}

export class MutuLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return withBusyTimeout(opened(config));
  }
}

export type { InStatement };
