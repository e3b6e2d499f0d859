import crypto from 'node:crypto';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { Gate } from '@/lib/auth/gate';
import { generatePassword, hashGate, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '@/lib/auth/password';
import { hashesAtOnce } from '@/lib/domain/limits';

// Light hashes for what does not depend on their cost (0.3 s and 128 MiB each otherwise); the
// real cost is checked once below.
process.env.MUTU_TEST_SCRYPT_N = '1024';

describe('passwords', () => {
  it('hashes at OWASP\'s scrypt floor (N=2^17, r=8, p=1) unless a test asks for less', async () => {
    delete process.env.MUTU_TEST_SCRYPT_N;
    try {
      const hash = await hashPassword('correct horse battery');
      expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    } finally {
      process.env.MUTU_TEST_SCRYPT_N = '1024';
    }
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });

  it('refuses a stored value of another scheme or a damaged one', async () => {
    expect(await verifyPassword('anything', '')).toBe(false);
    expect(await verifyPassword('anything', '$2b$10$abcdefghijklmnopqrstuv')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$131072$8$1$')).toBe(false);
  });

  it('generates long, unguessable passwords that copy cleanly', () => {
    const generated = Array.from({ length: 200 }, generatePassword);
    for (const p of generated) {
      expect(p).toHaveLength(24);
      expect(p.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(new Set(generated).size).toBe(generated.length);
    // 18 random bytes: over 200 passwords every one of the 64 characters shows up.
    expect(new Set(generated.join('')).size).toBe(64);
  });
});

describe('password hashes at once', () => {
  it('never runs more than the bound in parallel, and answers "busy" past the queue instead of piling up', async () => {
    const { slots, queue } = hashGate;
    expect(slots).toBe(hashesAtOnce(os.availableParallelism()));
    // Checked against a stored hash with light parameters (verifying uses the stored ones):
    // the same gate, without a minute of 128 MiB hashes.
    const salt = crypto.randomBytes(16);
    const light = ['scrypt', 1024, 8, 1, salt.toString('base64url'), crypto.scryptSync('flood', salt, 32, { N: 1024 }).toString('base64url')].join('$');
    const before = { ...hashGate.stats };
    const flood = slots + queue + 3;
    const outcomes = await Promise.allSettled(Array.from({ length: flood }, (_, i) => verifyPassword(i % 2 ? 'flood' : 'not it', light)));
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const busy = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(done).toHaveLength(slots + queue);
    expect(busy).toHaveLength(3);
    for (const err of busy) expect(err).toMatchObject({ name: 'HashBusyError', status: 503, message: 'Mutu is busy checking other passwords; try again in a moment.' });
    expect(hashGate.stats.started - before.started).toBe(slots + queue);
    expect(hashGate.stats.peak).toBe(slots);
    expect(done.map((o) => (o).value)).toEqual(Array.from({ length: slots + queue }, (_, i) => i % 2 === 1));
    // Hashing goes through the same bound; once the flood is over there is room again.
    await Promise.all([hashPassword('one more password'), hashPassword('and another one')]);
    expect(hashGate.stats.started - before.started).toBe(slots + queue + 2);
    expect(hashGate.stats.peak).toBe(slots);
  });
});

describe('the semaphore in front of hashing', () => {
  it('runs `slots` at once, queues `queue`, refuses the rest at once, and hands slots over in order', async () => {
    const gate = new Gate(2, 3, () => new Error('busy'));
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (i: number) =>
      gate.run(
        () =>
          new Promise<number>((resolve) => {
            order.push(i);
            releases.push(() => resolve(i));
          }),
      );
    const runs = Array.from({ length: 7 }, (_, i) => task(i).then((v) => `ok ${v}`, (e: Error) => e.message));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    expect(await Promise.all([runs[5], runs[6]])).toEqual(['busy', 'busy']);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(await Promise.all(runs.slice(0, 5))).toEqual(['ok 0', 'ok 1', 'ok 2', 'ok 3', 'ok 4']);
    expect(gate.stats).toEqual({ started: 5, peak: 2, refused: 2 });
    // A failing piece of work frees its slot too.
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'free')).resolves.toBe('free');
  });
});
