import { describe, expect, it } from 'vitest';
import { Prisma } from '@prisma/client';
import { registryUnreachable } from '@/lib/db/unreachable';
import { asAdapterError, sayingConnectionLost } from '@/lib/db/pg-connection-lost';

/** The driver adapter's own error, as a statement handed to it directly (executeRawNow) throws it. */
function adapterError(cause: { kind: string; code?: string }): Error {
  const err = new Error(cause.kind);
  err.name = 'DriverAdapterError';
  (err as Error & { cause: unknown }).cause = cause;
  return err;
}

describe('registryUnreachable', () => {
  it("reads the driver adapter's own error as Prisma's wrapping of it", () => {
    expect(registryUnreachable(adapterError({ kind: 'DatabaseNotReachable' }))).toBe(true);
    expect(registryUnreachable(adapterError({ kind: 'postgres', code: '57P01' }))).toBe(true);
    expect(registryUnreachable(adapterError({ kind: 'postgres', code: '08006' }))).toBe(true);
    expect(registryUnreachable(adapterError({ kind: 'postgres', code: '23505' }))).toBe(false);
    expect(registryUnreachable(adapterError({ kind: 'sqlite', code: '5' }))).toBe(false);
  });

  it('reads a database refusing connections for a while as away, not any 55000', () => {
    const refusing = adapterError({ kind: 'postgres', code: '55000' });
    refusing.message = 'database "mutu" is not currently accepting connections';
    expect(registryUnreachable(refusing)).toBe(true);
    const wrapped = new Prisma.PrismaClientKnownRequestError('Raw query failed. Code: `55000`. Message: `database "mutu" is not currently accepting connections`', { code: 'P2010', clientVersion: 'x', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '55000' } } } });
    expect(registryUnreachable(wrapped)).toBe(true);
    const otherState = adapterError({ kind: 'postgres', code: '55000' });
    otherState.message = 'cannot execute this in the current state';
    expect(registryUnreachable(otherState)).toBe(false);
  });

  it("still reads Prisma's errors, and nothing else", () => {
    expect(registryUnreachable(new Prisma.PrismaClientKnownRequestError('away', { code: 'P1001', clientVersion: 'x' }))).toBe(true);
    expect(registryUnreachable(new Prisma.PrismaClientKnownRequestError('dup', { code: 'P2002', clientVersion: 'x' }))).toBe(false);
    const wrapped = new Prisma.PrismaClientKnownRequestError('raw', { code: 'P2010', clientVersion: 'x', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } });
    expect(registryUnreachable(wrapped)).toBe(true);
    expect(registryUnreachable(new Error('DatabaseNotReachable'))).toBe(false);
  });

  it("reads pg's own words for a cut connection, which Prisma hands out raw, once the adapter says them its way", () => {
    const lost = new Error('Client has encountered a connection error and is not queryable');
    expect(registryUnreachable(lost)).toBe(false);
    expect(registryUnreachable(asAdapterError(lost))).toBe(true);
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    expect(registryUnreachable(asAdapterError(terminated))).toBe(true);
    // A statement's own failure stays what it was.
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(asAdapterError(duplicate)).toBe(duplicate);
    expect(asAdapterError(new Error('Connection terminated by a typo in this test'))).not.toHaveProperty('name', 'DriverAdapterError');
  });
});

/** A stand-in for @prisma/adapter-pg's transaction: what reached its connection, and how it went back to the pool. */
function pgTransaction() {
  const sent: string[] = [];
  const released: (Error | undefined)[] = [];
  let lose = false;
  const tx = {
    options: { usePhantomQuery: false },
    client: { release: (err?: Error) => void released.push(err) },
    async executeRaw(q: { sql: string }) {
      sent.push(q.sql);
      if (lose) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      return 0;
    },
    async queryRaw(q: { sql: string }) {
      sent.push(q.sql);
      return { columnNames: [], rows: [] };
    },
    async commit() {
      released.push(undefined);
    },
    async rollback() {
      released.push(undefined);
    },
  };
  const adapter = sayingConnectionLost({ startTransaction: async () => tx, executeRaw: async () => 0, queryRaw: async () => ({}) });
  return { sent, released, loseIt: () => (lose = true), start: () => adapter.startTransaction() as Promise<typeof tx & { discard(err: Error): Promise<void> }> };
}

describe("a PostgreSQL transaction's connection", () => {
  it('goes back to the pool once when lost, and nothing more is sent on it (it may be lent to another caller by then)', async () => {
    const t = pgTransaction();
    const tx = await t.start();
    await tx.executeRaw({ sql: 'UPDATE a' });
    t.loseIt();
    await expect(tx.executeRaw({ sql: 'UPDATE b' })).rejects.toHaveProperty('name', 'DriverAdapterError');
    expect(t.released).toEqual([undefined]);
    await expect(tx.executeRaw({ sql: 'ROLLBACK' })).rejects.toThrow('the transaction lost its connection');
    await tx.rollback();
    expect(t.sent).toEqual(['UPDATE a', 'UPDATE b']);
    expect(t.released).toEqual([undefined]);
  });

  it('is handed back with the error, for the pool to drop, when its ROLLBACK failed on a connection still open', async () => {
    const t = pgTransaction();
    const tx = await t.start();
    const failed = new Error('ROLLBACK refused');
    await tx.discard(failed);
    await tx.rollback();
    expect(t.released).toEqual([failed]);
  });
});
