import { registryFile } from '../config/registry-url';
import { BUSY_TIMEOUT_MS } from './sqlite-busy';
import { nativeDriver } from './sqlite-native';

/**
 * Reads a SQLite registry's rows as arrays, stepped as they are consumed, through libSQL's native
 * driver (the `libsql` package under @libsql/client). For long reads only: @libsql/client reads a
 * whole result before returning it and makes each row an object with two defineProperty per value,
 * and Prisma's adapter maps every value once more; at 25,000 rows that was most of the time.
 */
/** A statement's text (with `?` for its values) and values: sql-template-tag's `sql` gives both. */
export interface Statement {
  sql: string;
  values: readonly unknown[];
}

export interface RegistryReader {
  /** The rows of a SELECT (an `sql` statement of sql-template-tag, or text and values), each an array of its values in the select list's order, read a hundred at a time. */
  rows(statement: Statement): IterableIterator<unknown[]>;
  /** Reads from here on see one snapshot of the registry, until close() */
  begin(): void;
  close(): void;
}

/** A parameter as Prisma's libSQL adapter binds it, so a comparison with a stored value means the same. */
export function boundValue(value: unknown): unknown {
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
        .iterate(statement.values.map(boundValue)) as IterableIterator<unknown[]>;
    },
    begin: () => db.exec('BEGIN'),
    close() {
      if (!db.open) return;
      // Ended first: libSQL's close leaves the connection to the collector while one of its statements
      // is not finalized, and an open transaction would keep its read until then (a write waits on it
      // without a write-ahead log). A statement left part-way holds its read all the same: read to the end.
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}
