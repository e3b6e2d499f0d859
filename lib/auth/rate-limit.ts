import { db } from '../db/client';

export interface LimitRule {
  /** failures allowed in the window before the key is locked */
  max: number;
  windowMs: number;
  lockMs: number;
}

/** Failed logins: five per address per quarter hour, then a quarter hour of lockout. */
export const LOGIN_PER_EMAIL: LimitRule = { max: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const LOGIN_PER_CLIENT: LimitRule = { max: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Milliseconds left of the key's lockout, or 0. Kept in the registry: it survives restarts and is shared by processes. */
export async function lockedFor(key: string, now = new Date()): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil.getTime() - now.getTime() : 0;
}

/** Counts one failure; locks the key once the rule's budget is spent. */
export async function recordFailure(key: string, rule: LimitRule, now = new Date()): Promise<void> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  const fresh = !row || now.getTime() - row.windowStart.getTime() > rule.windowMs;
  const count = fresh ? 1 : row.count + 1;
  const lockedUntil = count >= rule.max ? new Date(now.getTime() + rule.lockMs) : fresh ? null : row.lockedUntil;
  await db.rateLimit.upsert({
    where: { key },
    create: { key, count, windowStart: now, lockedUntil },
    update: { count: fresh ? 1 : { increment: 1 }, ...(fresh ? { windowStart: now } : {}), lockedUntil },
  });
}

export async function clearFailures(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
