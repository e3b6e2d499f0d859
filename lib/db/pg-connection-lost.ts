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

type Methods = Record<string, ((...args: unknown[]) => Promise<unknown>) | unknown>;

/** `target`'s `names` methods, rejecting with `asAdapterError` of what they reject with. */
function mapRejections<T extends object>(target: T, names: string[], also?: (name: string, result: unknown) => unknown): T {
  const methods = target as Methods;
  for (const name of names) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    methods[name] = async (...args: unknown[]) => {
      try {
        const result = await (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        return also ? also(name, result) : result;
      } catch (err) {
        throw asAdapterError(err);
      }
    };
  }
  return target;
}

/** The PostgreSQL adapter (and each transaction it opens) with a lost connection said as the adapter's error. */
export function sayingConnectionLost<A extends object>(adapter: A): A {
  const STATEMENTS = ['queryRaw', 'executeRaw'];
  return mapRejections(adapter, [...STATEMENTS, 'executeScript', 'startTransaction'], (name, result) =>
    name === 'startTransaction' && result && typeof result === 'object' ? mapRejections(result, [...STATEMENTS, 'commit', 'rollback']) : result,
  );
}
