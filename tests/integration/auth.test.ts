import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';

useTestFarm();
const { clearAttempts, countAttempt, countAttempts, forgetSpentAttempts, lockedFor, refundAttempt } = await import('@/lib/auth/rate-limit');
const { FORGET_LOCKOUTS_AFTER_MS, LOGIN_PER_ADDRESS, LOGIN_PER_ADDRESS_AND_ACCOUNT: RULE } = await import('@/lib/domain/limits');
const { db } = await import('@/lib/db/client');

const MINUTE = 60_000;
const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * MINUTE);

/** Attempts from `from` on, six seconds apart: which were let through. */
async function attempts(key: string, n: number, from: Date): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await countAttempt(key, RULE, at(from, i / 10))).allowed);
  return out;
}

describe('attempt limits (counted before the work, kept in the registry)', () => {
  it('lets the limit through within the window, refuses the next and locks the key for the lockout', async () => {
    const key = 'test:lock';
    const t0 = new Date('2026-01-01T10:00:00Z');
    expect(await attempts(key, RULE.max, t0)).toEqual(Array(RULE.max).fill(true));
    expect(await countAttempt(key, RULE, at(t0, 1))).toEqual({ allowed: false, retryAfterMs: RULE.lockMs, lockedNow: true });
    // While locked, nothing counts and everything is refused, with the time left.
    expect(await countAttempt(key, RULE, at(t0, 11))).toEqual({ allowed: false, retryAfterMs: RULE.lockMs - 10 * MINUTE, lockedNow: false });
    expect(await lockedFor(key, at(t0, 11))).toBe(RULE.lockMs - 10 * MINUTE);
    // The lock ends on its own, with a fresh budget.
    expect(await attempts(key, RULE.max, at(t0, 1 + RULE.lockMs / MINUTE))).toEqual(Array(RULE.max).fill(true));
  });

  it('counts parallel attempts one by one: exactly the limit gets through a burst of 40', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => countAttempt('test:burst', RULE)));
    expect(results.filter((r) => r.allowed)).toHaveLength(RULE.max);
    // One attempt of the burst started the lockout; it was started once.
    expect(results.filter((r) => !r.allowed && r.lockedNow)).toHaveLength(1);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: 'test:burst' } })).lockouts).toBe(1);
  });

  it('doubles each lockout in a row up to the cap, and forgets them after a quiet day', async () => {
    const key = 'test:doubling';
    let t = new Date('2026-01-02T10:00:00Z');
    const lockouts: number[] = [];
    for (let burst = 0; burst < 9; burst++) {
      await attempts(key, RULE.max, t);
      const refused = await countAttempt(key, RULE, at(t, 1));
      if (refused.allowed) throw new Error(`burst ${burst} was not refused`);
      lockouts.push(refused.retryAfterMs / MINUTE);
      t = new Date(at(t, 1).getTime() + refused.retryAfterMs);
    }
    expect(lockouts).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
    // A day after the last lockout ended, the next is the shortest again.
    t = new Date(t.getTime() + FORGET_LOCKOUTS_AFTER_MS);
    await attempts(key, RULE.max, t);
    expect(await countAttempt(key, RULE, at(t, 1))).toMatchObject({ allowed: false, retryAfterMs: RULE.lockMs });
  });

  it('forgets attempts older than the window', async () => {
    const key = 'test:window';
    const t0 = new Date('2026-01-03T10:00:00Z');
    await attempts(key, RULE.max, t0);
    // The next attempt comes after the window: counting starts again.
    expect(await attempts(key, RULE.max, at(t0, RULE.windowMs / MINUTE + 1))).toEqual(Array(RULE.max).fill(true));
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key } })).count).toBe(RULE.max);
  });

  it('gives attempts back, and forgets a key, lockouts included', async () => {
    const key = 'test:refund';
    const t0 = new Date('2026-01-04T10:00:00Z');
    await attempts(key, RULE.max, t0);
    await refundAttempt(key);
    expect((await countAttempt(key, RULE, t0)).allowed).toBe(true);
    expect((await countAttempt(key, RULE, t0)).allowed).toBe(false);
    await clearAttempts(key);
    expect(await db.rateLimit.count({ where: { key } })).toBe(0);
    expect(await attempts(key, RULE.max, t0)).toEqual(Array(RULE.max).fill(true));
    // Giving back what was never counted, or forgetting an unknown key, is harmless.
    await refundAttempt('test:nothing');
    await clearAttempts('test:nothing');
  });

  it('stops at the first rule that refuses, leaving the next keys alone', async () => {
    const t0 = new Date('2026-01-05T10:00:00Z');
    for (let i = 0; i < LOGIN_PER_ADDRESS.max; i++) await countAttempt('test:address', LOGIN_PER_ADDRESS, t0);
    const refused = await countAttempts([['test:address', LOGIN_PER_ADDRESS], ['test:account', RULE]], t0);
    expect(refused).toMatchObject({ allowed: false, rule: LOGIN_PER_ADDRESS, key: 'test:address' });
    expect(await db.rateLimit.count({ where: { key: 'test:account' } })).toBe(0);
    expect(await countAttempts([['test:other-address', LOGIN_PER_ADDRESS], ['test:account', RULE]], t0)).toBeNull();
  });

  it('housekeeping forgets spent counters but remembers recent lockouts', async () => {
    const t0 = new Date('2026-01-06T10:00:00Z');
    await attempts('test:spent', 1, t0);
    await attempts('test:locked', RULE.max + 1, t0);
    const cutoff = at(t0, RULE.lockMs / MINUTE - 1); // after both windows began, before the lockout ended
    expect(await forgetSpentAttempts(cutoff)).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimit.count({ where: { key: 'test:spent' } })).toBe(0);
    expect(await db.rateLimit.count({ where: { key: 'test:locked' } })).toBe(1);
  });
});
