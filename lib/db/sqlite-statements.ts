import { Buffer } from 'node:buffer';
import { LibsqlError, type Client, type InStatement, type InValue, type ResultSet } from '@libsql/client';
import type Database from 'libsql';
import { nativeDriver } from './sqlite-native';

type Native = InstanceType<typeof Database>;
type NativeStatement = ReturnType<Native['prepare']>;

/** Statements kept prepared per connection: a job's few dozen kinds, a page's, the list's. */
const KEPT_STATEMENTS = 256;
/**
 * A statement of more values is prepared for its one run (a batch of log lines, a long IN list):
 * its variants would push the frequent statements out, and each keeps its last values bound.
 */
const KEPT_MAX_VALUES = 32;

interface Prepared {
  stmt: NativeStatement;
  /** It answers rows (a SELECT, a RETURNING, a PRAGMA that reads) */
  reader: boolean;
  columns?: string[];
  columnTypes?: string[];
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value as @libsql/client binds it (its default integer mode, "number"). */
function toSql(value: InValue | undefined): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** A value as @libsql/client reads it back: integers read exactly, then as numbers where that is exact. */
function fromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/** A statement as `run` uses it: integers read exactly, rows as arrays, whether it answers rows. */
function described(stmt: NativeStatement): Prepared {
  stmt.safeIntegers(true);
  const reader = stmt.reader;
  if (reader) stmt.raw(true);
  return { stmt, reader };
}

function asLibsqlError(err: unknown): unknown {
  const e = err as { code?: string; rawCode?: number; message?: string };
  return err instanceof Error && e.code !== undefined && err.name === 'SqliteError' ? new LibsqlError(err.message, e.code, e.rawCode, err) : err;
}

/**
 * A registry connection that answers as @libsql/client's local client does (its `execute`,
 * `executeMultiple`, `batch`, `close`), but keeps each statement prepared and answers rows as
 * arrays. @libsql/client prepares every statement again, asks its columns twice, learns that a
 * statement writes from an exception, and makes each row an object with two `defineProperty`
 * per value: for the few dozen short statements a job step pays, that was more CPU than SQLite
 * spent running them. Prisma's adapter reads rows by index only. A statement's columns are read
 * again when its rows stop matching them (a migration run by another connection meanwhile;
 * SQLite itself prepares a statement again when the schema changed).
 */
export function cachedStatementClient(file: string): Client {
  const Driver = nativeDriver();
  const db: Native = new Driver(file);
  const kept = new Map<string, Prepared>();
  let closed = false;

  function prepared(sql: string, values: number): Prepared {
    if (values > KEPT_MAX_VALUES) return described(db.prepare(sql));
    const found = kept.get(sql);
    if (found) {
      // Most recently used last: the first key is the one to let go.
      kept.delete(sql);
      kept.set(sql, found);
      return found;
    }
    const p = described(db.prepare(sql));
    kept.set(sql, p);
    if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    return p;
  }

  function run(sql: string, args: readonly unknown[]): ResultSet {
    if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
    try {
      const p = prepared(sql, args.length);
      if (!p.reader) {
        const info = p.stmt.run(args);
        return { columns: [], columnTypes: [], rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid), toJSON: () => ({}) };
      }
      const rows = p.stmt.all(args) as unknown as unknown[][];
      if (!p.columns || (rows.length && rows[0]!.length !== p.columns.length)) {
        const columns = p.stmt.columns();
        p.columns = columns.map((c) => c.name);
        p.columnTypes = columns.map((c) => c.type ?? '');
      }
      for (const row of rows) for (let i = 0; i < row.length; i++) row[i] = fromSql(row[i]);
      return { columns: p.columns, columnTypes: p.columnTypes!, rows: rows as never, rowsAffected: 0, lastInsertRowid: undefined, toJSON: () => ({}) };
    } catch (err) {
      throw asLibsqlError(err);
    }
  }

  const execute = async (stmt: InStatement, args?: InValue[]): Promise<ResultSet> => {
    if (typeof stmt === 'string') return run(stmt, (args ?? []).map(toSql));
    const values = (stmt.args as InValue[] | undefined) ?? [];
    if (!Array.isArray(values)) throw new LibsqlError('named arguments are not used by the registry', 'NOT_SUPPORTED');
    return run(stmt.sql, values.map(toSql));
  };

  run('SELECT 1 AS checkThatTheDatabaseCanBeOpened', []);
  const client = {
    execute,
    async batch(stmts: InStatement[]) {
      run('BEGIN DEFERRED', []);
      try {
        const results: ResultSet[] = [];
        for (const stmt of stmts) results.push(await execute(stmt));
        run('COMMIT', []);
        return results;
      } finally {
        if (db.inTransaction) run('ROLLBACK', []);
      }
    },
    async executeMultiple(sql: string) {
      if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
      try {
        db.exec(sql);
      } catch (err) {
        throw asLibsqlError(err);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    },
    async transaction() {
      throw new LibsqlError('transactions are opened on the connection itself here (sqlite-client.ts)', 'NOT_SUPPORTED');
    },
    async sync() {
      return undefined;
    },
    close() {
      if (closed) return;
      closed = true;
      kept.clear();
      db.close();
    },
    get closed() {
      return closed;
    },
    protocol: 'file',
  };
  return client;
}
