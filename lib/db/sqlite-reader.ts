import { createRequire } from 'node:module';
import type Database from 'libsql';
import { registryFile } from '../config/registry-url';
import { BUSY_TIMEOUT_MS } from './sqlite-busy';

/**
 * Reads a SQLite registry's rows as arrays, stepped as they are consumed, through libSQL's native
 * driver (the `libsql` package under @libsql/client). For long reads only: @libsql/client reads a
 * whole result before returning it and makes each row an object with two defineProperty per value,
 * and Prisma's adapter maps every value once more; at 25,000 rows that was most of the time.
 */
export interface RegistryReader {
  /** The rows of a SELECT (a Prisma.sql statement, or text and values), each an array of its values in the select list's order, read a hundred at a time. */
  rows(statement: { sql: string; values: readonly unknown[] }): IterableIterator<unknown[]>;
  close(): void;
}

/** The `libsql` package that @libsql/client itself loads, wherever npm put it. */
function nativeDriver(): typeof Database {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('@libsql/client'))('libsql') as typeof Database;
}

/** A parameter as Prisma's libSQL adapter binds it, so a comparison with a stored value means the same. */
function bound(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** A connection of its own to the registry at `url` (a `file:` URL), that can only read. */
export function openRegistryReader(url: string): RegistryReader {
  const Driver = nativeDriver();
  const db = new Driver(registryFile(url));
  try {
    // Writers of other processes hold the lock briefly; a read waits rather than failing.
    db.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).all(); // answers a row: exec() refuses it
    db.exec('PRAGMA query_only = 1');
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    rows(statement) {
      return db
        .prepare(statement.sql)
        .raw(true)
        .iterate(statement.values.map(bound)) as IterableIterator<unknown[]>;
    },
    close: () => db.close(),
  };
}
