import { performance } from 'node:perf_hooks';
import type { Client, Config, Transaction } from '@libsql/client';
import type { PrismaClient } from '@prisma/client';
import { clientOn } from '../../lib/db/client';
import { MutuLibSQL } from '../../lib/db/sqlite-client';
import { MysqlDriver } from '../../lib/databases/mysql-driver';
import { PostgresDriver } from '../../lib/databases/postgres-driver';
import { SqliteDriver } from '../../lib/databases/sqlite-driver';
import type { JobHandler } from '../../lib/jobs/types';
import { PHASE, type Recorder } from './recorder';

/*
 * Measuring probes around Mutu's real code, installed by the bench only: nothing in lib/
 * changes, each probe adds two performance.now() calls.
 */

async function timed<T>(run: () => Promise<T>, charge: (ms: number) => void): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    charge(performance.now() - start);
  }
}

const STATEMENT_METHODS = new Set(['execute', 'batch', 'executeMultiple', 'commit', 'rollback']);

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
const sqlOf = (stmt: unknown) => (typeof stmt === 'string' ? stmt : String((stmt as { sql?: unknown } | undefined)?.sql ?? ''));

/**
 * A libSQL client (or transaction) whose statements report their time, and whose commits (each
 * synced to disk) are counted: a write outside a transaction commits by itself.
 */
function timedClient<C extends Client | Transaction>(inner: C, charge: (ms: number, sql: string) => void, commit: () => void, inTransaction = false): C {
  return new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && STATEMENT_METHODS.has(prop)) {
        return (...args: unknown[]) => {
          if (prop === 'commit' || (!inTransaction && prop === 'execute' && WRITE.test(sqlOf(args[0])))) commit();
          const sql = prop === 'execute' ? sqlOf(args[0]) : prop;
          return timed(() => value.apply(target, args), (ms) => charge(ms, sql));
        };
      }
      if (prop === 'transaction') {
        return async (...args: unknown[]) => timedClient(await timed<Transaction>(() => value.apply(target, args), (ms) => charge(ms, 'begin')), charge, commit, true);
      }
      return value.bind(target);
    },
  });
}

class TimedLibSQL extends MutuLibSQL {
  constructor(config: Config, private readonly charge: (ms: number, sql: string) => void, private readonly commit: () => void) {
    super(config);
  }

  override createClient(config: Config): Client {
    return timedClient(super.createClient(config), (ms, sql) => this.charge(ms, sql), () => this.commit());
  }
}

/**
 * Opens the registry the way lib/db/client.ts does (same adapter, busy timeout included)
 * but with every statement timed, and hands it to `db`, which uses an already opened client.
 */
export function instrumentRegistry(recorder: Recorder, registryUrl: string): void {
  const holder = globalThis as unknown as { mutuPrisma?: PrismaClient };
  if (holder.mutuPrisma) throw new Error('the registry was opened before the bench could instrument it');
  holder.mutuPrisma = clientOn(new TimedLibSQL({ url: registryUrl }, (ms, sql) => recorder.registryStatement(ms, sql), () => recorder.registryCommit()), false);
}

const DRIVER_METHODS = ['ping', 'databaseExists', 'userExists', 'createDatabase', 'dropDatabase', 'createUser', 'dropUser', 'close'] as const;

type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Times every driver call: the database server's work, the admin connection's opening
 * included (drivers connect on first use, in their private `c()`, timed apart as `connect`).
 */
export function instrumentDrivers(recorder: Recorder): void {
  for (const driver of [MysqlDriver, PostgresDriver, SqliteDriver]) {
    const proto = driver.prototype as unknown as Methods;
    for (const name of DRIVER_METHODS) {
      const original = proto[name]!;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        return timed(() => original.apply(this, args), (ms) => recorder.serverCall(name, ms));
      };
    }
    const connect = proto.c;
    if (!connect) continue;
    proto.c = function (this: { conn?: unknown; client?: unknown }, ...args: unknown[]) {
      if (this.conn !== undefined || this.client !== undefined) return connect.apply(this, args);
      return timed(() => connect.apply(this, args), (ms) => recorder.serverConnect(ms));
    };
  }
}

/** The provisioning handler with each step and the closing hook announcing themselves to the recorder. */
export function timedHandler<P>(handler: JobHandler<P>, recorder: Recorder): JobHandler<P> {
  return {
    ...handler,
    steps: handler.steps.map((step) => ({
      ...step,
      async run(ctx) {
        recorder.enter(PHASE.step(step.name));
        try {
          await step.run(ctx);
        } finally {
          recorder.enter(PHASE.between);
        }
      },
    })),
    async onEnd(ctx, outcome) {
      recorder.enter(PHASE.onEnd);
      try {
        await handler.onEnd?.(ctx, outcome);
      } finally {
        recorder.enter(PHASE.closing);
      }
    },
  };
}
