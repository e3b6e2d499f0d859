// Next's `server-only` in its server graph and in the browser's, nothing elsewhere (package.json "imports").
import '#db-guard';
import { createRequire } from 'node:module';
import { PrismaClient, type Prisma } from '@prisma/client';
import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openedClient as globalForPrisma } from './opened-client';
import { sayingConnectionLost } from './pg-connection-lost';
import { MutuLibSQL } from './sqlite-client';

type RawQuery = { sql: string; args: unknown[]; argTypes: { scalarType: 'unknown'; arity: 'scalar' }[] };

/** What a raw statement needs of a connected driver adapter (Prisma's SqlDriverAdapter). */
interface RawAdapter {
  executeRaw(query: RawQuery): Promise<number>;
  queryRaw(query: RawQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
  startTransaction(): Promise<{
    executeRaw(query: RawQuery): Promise<number>;
    queryRaw(query: RawQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
    commit(): Promise<void>;
    rollback(): Promise<void>;
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
 * errors. Outside a transaction only.
 * SQLite only for now: on a PostgreSQL registry, `mutu jobs worker` then sometimes did not stop on
 * SIGTERM within 30 s beside another busy worker (`cli-jobs`, 2 of 5 paired runs; none of 5 through
 * Prisma), cause not found yet: PostgreSQL keeps Prisma's pipeline (undefined here).
 */
async function directAdapter(c: PrismaClient): Promise<RawAdapter | undefined> {
  const entry = adapters.get(c);
  if (!entry || entry.postgres) return undefined;
  if (!entry.connected) await c.$connect();
  return entry.connected;
}

/** `db.$executeRaw(query)`, handed straight to the driver adapter where it may be (`directAdapter`). */
export async function executeRawNow(query: Prisma.Sql): Promise<number> {
  const c = client();
  const adapter = await directAdapter(c);
  return adapter ? adapter.executeRaw(rawQuery(query)) : c.$executeRaw(query);
}

/**
 * `db.$queryRaw(query)` the same way, for a read every site's job pays: its rows as objects named by
 * the statement's columns. **Text and integer columns as they are**; the others come back as each
 * registry's driver gives them, not as Prisma maps them: a DateTime as ISO 8601 text on SQLite and a
 * Date on PostgreSQL (read it through `new Date(…)`), a Boolean as 0 or 1 on SQLite, Json as text on
 * SQLite. `modelRows` (model-rows.ts) reads them as the model's types on both.
 */
export async function queryRawNow<Row extends Record<string, unknown> = Record<string, unknown>>(query: Prisma.Sql): Promise<Row[]> {
  const c = client();
  const adapter = await directAdapter(c);
  if (!adapter) return c.$queryRaw<Row[]>(query);
  return namedRows<Row>(await adapter.queryRaw(rawQuery(query)));
}

const namedRows = <Row>({ columnNames, rows }: { columnNames: string[]; rows: unknown[][] }): Row[] =>
  rows.map((row) => Object.fromEntries(columnNames.map((name, i) => [name, row[i]])) as Row);

/** A raw statement in a `transactionNow`, resolving to its count of rows. */
export type RawExecute = (query: Prisma.Sql) => Promise<number>;
/** A raw read (or `… RETURNING`) in a `transactionNow`, its rows as `queryRawNow` gives them. */
export type RawQueryRows = <Row extends Record<string, unknown> = Record<string, unknown>>(query: Prisma.Sql) => Promise<Row[]>;
/** Both, for code that writes its rows within a caller's `transactionNow`. */
export interface RawTransaction {
  execute: RawExecute;
  query: RawQueryRows;
}

/**
 * `db.$transaction` of raw statements, on the driver adapter's own transaction where it may be
 * (`directAdapter`): `work` runs them through `execute` (each resolving to its count of rows)
 * or `query` (its rows), and all are committed once it resolves, none when it throws.
 */
export async function transactionNow<T>(work: (execute: RawExecute, query: RawQueryRows) => Promise<T>): Promise<T> {
  const c = client();
  const adapter = await directAdapter(c);
  if (!adapter) return c.$transaction((tx) => work((query) => tx.$executeRaw(query), (query) => tx.$queryRaw(query)));
  const tx = await adapter.startTransaction();
  let result: T;
  try {
    result = await work(
      (query) => tx.executeRaw(rawQuery(query)),
      async <Row extends Record<string, unknown>>(query: Prisma.Sql) => namedRows<Row>(await tx.queryRaw(rawQuery(query))),
    );
  } catch (err) {
    await tx.rollback();
    throw err;
  }
  await tx.commit();
  return result;
}

const rawQuery = (query: Prisma.Sql): RawQuery => ({ sql: query.sql, args: query.values, argTypes: query.values.map(() => ANY_ARG) });

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
