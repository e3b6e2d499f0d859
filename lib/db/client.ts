// Next's `server-only` in its server graph and in the browser's, nothing elsewhere (package.json "imports").
import '#db-guard';
import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openedClient as globalForPrisma } from './opened-client';
import { sayingConnectionLost } from './pg-connection-lost';
import { MutuLibSQL } from './sqlite-client';
import { type Sql } from 'sql-template-tag';

type RawQuery = { sql: string; args: unknown[]; argTypes: { scalarType: 'unknown'; arity: 'scalar' }[] };

/** What a raw statement needs of a connected driver adapter (Prisma's SqlDriverAdapter). */
interface RawAdapter {
  executeRaw(query: RawQuery): Promise<number>;
  queryRaw(query: RawQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
  startTransaction(): Promise<{
    /** false (PostgreSQL): `commit` and `rollback` only give the connection back; COMMIT or ROLLBACK is the caller's to send first. */
    options: { usePhantomQuery: boolean };
    executeRaw(query: RawQuery): Promise<number>;
    queryRaw(query: RawQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
    commit(): Promise<void>;
    rollback(): Promise<void>;
    /** PostgreSQL's (pg-connection-lost.ts): the connection handed back to be dropped, not lent again. */
    discard?(err: Error): Promise<void>;
  }>;
  dispose(): Promise<void>;
}

/** Each client's driver adapter once connected, and its registry's placeholders (`$1` or `?`). */
const adapters = new WeakMap<PrismaClient, { connected?: RawAdapter; postgres: boolean }>();

/**
 * A Prisma client on `factory` (a driver adapter factory) whose connected adapter `executeRawNow`
 * can reach: the registry's clients are all made here (the bench's timed one too).
 */
export function clientOn<C extends PrismaClient>(factory: object, postgres: boolean, make: (adapter: never) => C = (adapter) => new PrismaClient({ adapter }) as C): C {
  const entry: { connected?: RawAdapter; postgres: boolean } = { postgres };
  const f = factory as { connect(): Promise<RawAdapter> };
  const connect = f.connect.bind(f);
  f.connect = async () => {
    const adapter = postgres ? sayingConnectionLost(await connect()) : await connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = () => {
      if (entry.connected === adapter) entry.connected = undefined;
      return dispose();
    };
    return (entry.connected = adapter);
  };
  const client = make(factory as never);
  adapters.set(client, entry);
  return client;
}

/**
 * A client for the registry at `url`. PostgreSQL has its own generated client
 * (.prisma/client-pg, from the same models: bin/prisma-schemas.js), loaded only when used;
 * its models, results and errors are those of the SQLite one, so the code sees one type.
 */
export function registryClient(url: string): PrismaClient {
  if (registryProvider(url) === 'postgresql') {
    const require = createRequire(import.meta.url);
    const { PrismaPg } = require('@prisma/adapter-pg') as typeof import('@prisma/adapter-pg');
    const { PrismaClient: PostgresClient } = require('.prisma/client-pg') as { PrismaClient: new (o: object) => PrismaClient };
    return clientOn(new PrismaPg({ connectionString: url }), true, (adapter) => new PostgresClient({ adapter }));
  }
  return clientOn(new MutuLibSQL({ url }), false);
}

const ANY_ARG = { scalarType: 'unknown', arity: 'scalar' } as const;

/**
 * The registry's connected driver adapter, when raw SQL may be handed to it directly (the
 * connection and the lock Prisma's own statements and transactions use): for the few
 * statements every job step pays, where Prisma's request pipeline (its query compiler
 * included, raw SQL too) costs twice the statement's CPU. Values are bound as Prisma binds a
 * raw statement's; a failure is the adapter's (`DriverAdapterError`), not one of Prisma's
 * errors. Outside a transaction only. Undefined for a client not made by `clientOn`.
 */
async function directAdapter(c: PrismaClient): Promise<{ adapter: RawAdapter; postgres: boolean } | undefined> {
  const entry = adapters.get(c);
  if (!entry) return undefined;
  if (!entry.connected) await c.$connect();
  return entry.connected && { adapter: entry.connected, postgres: entry.postgres };
}

/** `db.$executeRaw(query)`, handed straight to the driver adapter where it may be (`directAdapter`). */
export async function executeRawNow(query: Sql): Promise<number> {
  const c = client();
  const direct = await directAdapter(c);
  return direct ? direct.adapter.executeRaw(rawQuery(query, direct.postgres)) : c.$executeRaw(query);
}

/**
 * `db.$queryRaw(query)` the same way, for a read every site's job pays: its rows as objects named by
 * the statement's columns. **Text and integer columns as they are**; the others come back as each
 * registry's driver gives them, not as Prisma maps them: a DateTime as ISO 8601 text (read it
 * through `new Date(…)`), a Boolean as 0 or 1 on SQLite, Json as its text, a BigInt as text on
 * PostgreSQL. `modelRows` (model-rows.ts) reads them as the model's types on both.
 */
export async function queryRawNow<Row extends Record<string, unknown> = Record<string, unknown>>(query: Sql): Promise<Row[]> {
  const c = client();
  const direct = await directAdapter(c);
  if (!direct) return c.$queryRaw<Row[]>(query);
  return namedRows<Row>(await direct.adapter.queryRaw(rawQuery(query, direct.postgres)));
}

const namedRows = <Row>({ columnNames, rows }: { columnNames: string[]; rows: unknown[][] }): Row[] =>
  rows.map((row) => Object.fromEntries(columnNames.map((name, i) => [name, row[i]])) as Row);

/** What a `transactionNow` hands its work, and code that writes its rows within a caller's transaction takes. */
export interface RawTransaction {
  /** A raw statement, resolving to its count of rows. */
  execute(query: Sql): Promise<number>;
  /** A raw read (or `… RETURNING`), its rows as `queryRawNow` gives them. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(query: Sql): Promise<Row[]>;
}

/**
 * `db.$transaction` of raw statements, on the driver adapter's own transaction where it may be
 * (`directAdapter`): `work` runs them through `tx.execute` (each resolving to its count of rows)
 * or `tx.query` (its rows), and all are committed once it resolves, none when it throws.
 */
export async function transactionNow<T>(work: (tx: RawTransaction) => Promise<T>): Promise<T> {
  const c = client();
  const direct = await directAdapter(c);
  if (!direct) return c.$transaction((tx) => work({ execute: (query) => tx.$executeRaw(query), query: (query) => tx.$queryRaw(query) }));
  const { postgres } = direct;
  const tx = await direct.adapter.startTransaction();
  // As Prisma's own transactions end: the statement first where the adapter leaves it to its
  // caller (PostgreSQL's gives the connection back to the pool, still in its transaction, otherwise).
  const send = (statement: 'COMMIT' | 'ROLLBACK') => (tx.options.usePhantomQuery ? Promise.resolve(0) : tx.executeRaw({ sql: statement, args: [], argTypes: [] }));
  let result: T;
  try {
    result = await work({
      execute: (query) => tx.executeRaw(rawQuery(query, postgres)),
      query: async <Row extends Record<string, unknown>>(query: Sql) => namedRows<Row>(await tx.queryRaw(rawQuery(query, postgres))),
    });
  } catch (err) {
    await send('ROLLBACK').then(
      () => tx.rollback(),
      (failed: Error) => (tx.discard ? tx.discard(failed) : tx.rollback()),
    );
    throw err;
  }
  try {
    await send('COMMIT');
  } catch (err) {
    // PostgreSQL ends a transaction whose COMMIT failed: only the connection is left to give back.
    await tx.rollback().catch(() => {});
    throw err;
  }
  await tx.commit();
  return result;
}

/** The statement as the driver takes it: `$1` placeholders on PostgreSQL, `?` on SQLite. */
const rawQuery = (query: Sql, postgres: boolean): RawQuery => ({ sql: postgres ? query.text : query.sql, args: query.values, argTypes: query.values.map(() => ANY_ARG) });

function client(): PrismaClient {
  globalForPrisma.mutuPrisma ??= registryClient(config().registryUrl);
  return globalForPrisma.mutuPrisma;
}

/**
 * The registry. Opened on first use, so importing a module never reads the configuration
 * (Next's build imports pages without one).
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === 'function' ? value.bind(c) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.mutuPrisma?.$disconnect();
  globalForPrisma.mutuPrisma = undefined;
}
