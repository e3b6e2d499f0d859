import fs from 'node:fs';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { testRegistry, useTestFarm } from '../helpers/registry';
import { db } from '@/lib/db/client';

// Transactions on the SQLite registry run on the client's own connection (lib/db/sqlite-client.ts):
// libSQL's own opened a new connection after each one and left the old one open until collected.
const farm = useTestFarm();

/** Descriptors this process holds on the registry's main file: one per open connection. */
const connectionsToRegistry = () =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === farm.registryFile;
    } catch {
      return false;
    }
  }).length;

const setting = (key: string) => db.setting.findUnique({ where: { key } });

describe.runIf(testRegistry() === 'sqlite')('transactions on the SQLite registry', () => {
  it('keep one connection, however many run', async () => {
    await setting('warm-up');
    const before = connectionsToRegistry();
    expect(before).toBe(1);
    for (let i = 0; i < 50; i++) {
      await db.$transaction(async (tx) => {
        await tx.setting.upsert({ where: { key: 'n' }, create: { key: 'n', value: String(i) }, update: { value: String(i) } });
      });
      await db.$transaction([db.setting.findUnique({ where: { key: 'n' } })]);
    }
    expect(connectionsToRegistry()).toBe(before);
    expect((await setting('n'))?.value).toBe('49');
  });

  it('commit what another connection then reads, and roll back what failed: the next statements are not inside it', async () => {
    const other = createClient({ url: `file:${farm.registryFile}` });
    try {
      const seen = async (key: string) => (await other.execute({ sql: 'SELECT "value" FROM "Setting" WHERE "key" = ?', args: [key] })).rows[0]?.value ?? null;
      await db.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: 'kept', value: 'yes' } });
      });
      expect(await seen('kept')).toBe('yes');

      await expect(
        db.$transaction(async (tx) => {
          await tx.setting.create({ data: { key: 'dropped', value: 'no' } });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await setting('dropped')).toBeNull();
      // A statement after the rollback is committed on its own (autocommit), seen at once elsewhere.
      await db.setting.create({ data: { key: 'after', value: 'seen' } });
      expect(await seen('after')).toBe('seen');

      // A statement refused inside (a duplicate key) ends the transaction too.
      await expect(
        db.$transaction(async (tx) => {
          await tx.setting.create({ data: { key: 'twice', value: '1' } });
          await tx.setting.create({ data: { key: 'twice', value: '2' } });
        }),
      ).rejects.toThrow();
      expect(await seen('twice')).toBeNull();
      await db.setting.create({ data: { key: 'after-refusal', value: 'seen' } });
      expect(await seen('after-refusal')).toBe('seen');
    } finally {
      other.close();
    }
  });

  it('let queries outside a transaction wait for its end rather than see it half done', async () => {
    let inside!: () => void;
    const held = new Promise<void>((r) => (inside = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.$transaction(async (t) => {
      await t.setting.create({ data: { key: 'half', value: '1' } });
      inside();
      await gate;
      await t.setting.update({ where: { key: 'half' }, data: { value: '2' } });
    });
    await held;
    const outside = setting('half');
    release();
    await tx;
    expect((await outside)?.value).toBe('2');
  });
});
