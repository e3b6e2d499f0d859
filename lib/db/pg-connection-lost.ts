/**
 * What `pg` throws for a connection the server cut: its own errors (a client already lost: no
 * code), or the server's (57P01 and the like) where Prisma's PostgreSQL adapter lets them through
 * as they are. The adapter turns what it knows into its `DriverAdapterError`; these it passes on
 * raw, and Prisma then hands them out raw too (seen at a transaction's next statement or COMMIT
 * after `pg_terminate_backend`), where `registryUnreachable` cannot tell them from a step's
 * failure: a worker then took a registry restart for a crash and lost the job's log lines.
 */
const LOST_MESSAGES = /^(Client has encountered a connection error and is not queryable|Connection terminated( unexpectedly)?|Client was closed and is not queryable)$/;

/** A PostgreSQL error code of a connection cut or a server going away (class 08, 57P). */
const LOST_CODE = /^(08|57P)/;

/** The adapter's error for a lost connection, as Prisma reads it (`isDriverAdapterError`: a name and a cause). */
function connectionClosed(err: Error): Error {
  const closed = new Error(err.message, { cause: { kind: 'ConnectionClosed' } });
  closed.name = 'DriverAdapterError';
  return closed;
}

export function asAdapterError(err: unknown): unknown {
  if (!(err instanceof Error) || err.name === 'DriverAdapterError') return err;
  const code = (err as { code?: unknown }).code;
  return LOST_MESSAGES.test(err.message) || (typeof code === 'string' && LOST_CODE.test(code)) ? connectionClosed(err) : err;
}

type Method = (...args: unknown[]) => Promise<unknown>;

/** `target`'s `names` methods, rejecting with `asAdapterError` of what they reject with (`lost` called first when that is a lost connection). */
function mapRejections<T extends object>(target: T, names: string[], lost?: () => Promise<void>): T {
  const methods = target as Record<string, unknown>;
  for (const name of names) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    methods[name] = async (...args: unknown[]) => {
      try {
        return await (method as Method).apply(target, args);
      } catch (err) {
        const said = asAdapterError(err);
        if (said !== err || (said instanceof Error && (said.cause as { kind?: string } | undefined)?.kind === 'ConnectionClosed')) await lost?.();
        throw said;
      }
    };
  }
  return target;
}

/**
 * A transaction whose connection is lost gives it back to the pool at once. Prisma ends a
 * transaction by sending ROLLBACK (or COMMIT) and only then calls the adapter's `rollback`
 * (`commit`), which is what releases the connection: when the ROLLBACK itself fails on the cut
 * connection, that release never came, and the pool kept the dead client for ever (its `end`,
 * which the worker's stop awaits, then hung). `pg`'s pool drops a released client that lost
 * its connection.
 */
function releasedWhenLost<T extends object>(tx: T): T {
  const methods = tx as Record<string, unknown>;
  const release = (methods.rollback as Method).bind(tx);
  const commit = (methods.commit as Method).bind(tx);
  let released = false;
  const releaseOnce = async () => {
    if (released) return;
    released = true;
    await release().catch(() => {});
  };
  methods.rollback = releaseOnce;
  methods.commit = async () => {
    if (released) throw connectionClosed(new Error('the transaction lost its connection'));
    released = true;
    return commit();
  };
  // Its ROLLBACK failed on a connection still open: handed back with the error, so the pool
  // drops it rather than lend it to another caller inside this transaction.
  methods.discard = async (err: Error) => {
    if (released) return;
    released = true;
    const client = (tx as { client?: { release(err?: Error): void } }).client;
    if (client) client.release(err);
    else await release().catch(() => {});
  };
  mapRejections(tx, ['queryRaw', 'executeRaw'], releaseOnce);
  // Once given back, the connection may be another caller's: a statement after that is refused.
  for (const name of ['queryRaw', 'executeRaw']) {
    const method = methods[name] as Method;
    methods[name] = async (...args: unknown[]) => {
      if (released) throw connectionClosed(new Error('the transaction lost its connection'));
      return method(...args);
    };
  }
  return tx;
}

/** The PostgreSQL adapter (and each transaction it opens) with a lost connection said as the adapter's error. */
export function sayingConnectionLost<A extends object>(adapter: A): A {
  mapRejections(adapter, ['queryRaw', 'executeRaw', 'executeScript', 'startTransaction']);
  const methods = adapter as Record<string, unknown>;
  const startTransaction = methods.startTransaction as Method;
  methods.startTransaction = async (...args: unknown[]) => releasedWhenLost((await startTransaction(...args)) as object);
  return adapter;
}
