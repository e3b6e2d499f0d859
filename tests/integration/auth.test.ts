import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';

useTestFarm();
const { clearFailures, lockedFor, LOGIN_PER_EMAIL, recordFailure } = await import('@/lib/auth/rate-limit');
const { db } = await import('@/lib/db/client');

const MINUTE = 60_000;
const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * MINUTE);

describe('login rate limit (kept in the registry)', () => {
  it('locks an address after five failures within the window, for the lock period', async () => {
    const key = 'login:email:victim@example.org';
    const t0 = new Date('2026-01-01T10:00:00Z');
    for (let i = 0; i < 4; i++) {
      await recordFailure(key, LOGIN_PER_EMAIL, at(t0, i));
      expect(await lockedFor(key, at(t0, i))).toBe(0);
    }
    await recordFailure(key, LOGIN_PER_EMAIL, at(t0, 4));
    expect(await lockedFor(key, at(t0, 4))).toBe(15 * MINUTE);
    expect(await lockedFor(key, at(t0, 10))).toBe(9 * MINUTE);
    // Another address is not affected.
    expect(await lockedFor('login:email:other@example.org', at(t0, 4))).toBe(0);
    // The lock ends on its own.
    expect(await lockedFor(key, at(t0, 19))).toBe(0);
  });

  it('forgets failures older than the window', async () => {
    const key = 'login:email:slow@example.org';
    const t0 = new Date('2026-01-02T10:00:00Z');
    for (let i = 0; i < 4; i++) await recordFailure(key, LOGIN_PER_EMAIL, at(t0, i));
    // The fifth failure comes after the 15-minute window: counting starts again.
    await recordFailure(key, LOGIN_PER_EMAIL, at(t0, 16));
    expect(await lockedFor(key, at(t0, 16))).toBe(0);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(1);
    for (let i = 0; i < 3; i++) await recordFailure(key, LOGIN_PER_EMAIL, at(t0, 17 + i));
    expect(await lockedFor(key, at(t0, 20))).toBe(0);
    await recordFailure(key, LOGIN_PER_EMAIL, at(t0, 21));
    expect(await lockedFor(key, at(t0, 21))).toBe(15 * MINUTE);
  });

  it('clears the count after a successful login', async () => {
    const key = 'login:email:forgetful@example.org';
    const t0 = new Date('2026-01-03T10:00:00Z');
    for (let i = 0; i < 4; i++) await recordFailure(key, LOGIN_PER_EMAIL, at(t0, i));
    await clearFailures(key);
    await recordFailure(key, LOGIN_PER_EMAIL, at(t0, 5));
    expect(await lockedFor(key, at(t0, 5))).toBe(0);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(1);
    // Clearing a key that has no failures is harmless.
    await clearFailures('login:email:nobody@example.org');
  });

  it('uses the current time by default', async () => {
    const key = 'login:ip:203.0.113.9';
    for (let i = 0; i < LOGIN_PER_EMAIL.max; i++) await recordFailure(key, LOGIN_PER_EMAIL);
    const left = await lockedFor(key);
    expect(left).toBeGreaterThan(14 * MINUTE);
    expect(left).toBeLessThanOrEqual(15 * MINUTE);
  });
});
