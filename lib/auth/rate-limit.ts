import { db } from '../db/client';
import { recordAudit, type AuditEntry } from '../audit/record';
import type { Actor } from '../domain/actor';
import { FORGET_LOCKOUTS_AFTER_MS, lockoutMs, type LimitRule } from '../domain/limits';
import sql from 'sql-template-tag';

export type Attempt = { allowed: true } | { allowed: false; retryAfterMs: number; /** this attempt started the lockout */ lockedNow: boolean };

/**
 * Counts one attempt on the key BEFORE the work it guards (a password hash, a code check), in
 * one statement: parallel attempts cannot all read "under the limit", each gets its own count.
 * Kept in the registry, so it survives restarts and holds across the processes that share it.
 *
 * Within a window, `rule.max` attempts pass; the next one is refused and locks the key, for
 * twice as long as the lockout before it (forgotten after a quiet day). While locked, nothing
 * is counted and everything is refused.
 */
export async function countAttempt(key: string, rule: LimitRule, now = new Date()): Promise<Attempt> {
  const windowOver = new Date(now.getTime() - rule.windowMs);
  const forgetBefore = new Date(now.getTime() - FORGET_LOCKOUTS_AFTER_MS);
  const [row] = await db.$queryRaw<{ count: number | bigint; lockedUntil: Date | string | null; lockouts: number | bigint }[]>(sql`
    INSERT INTO "RateLimit" AS r ("key", "count", "windowStart", "lockedUntil", "lockouts")
    VALUES (${key}, 1, ${now}, NULL, 0)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN r."lockedUntil" > ${now} THEN r."count" WHEN r."windowStart" <= ${windowOver} THEN 1 ELSE r."count" + 1 END,
      "windowStart" = CASE WHEN r."lockedUntil" > ${now} THEN r."windowStart" WHEN r."windowStart" <= ${windowOver} THEN ${now} ELSE r."windowStart" END,
      "lockouts" = CASE WHEN r."lockedUntil" <= ${forgetBefore} THEN 0 ELSE r."lockouts" END
    RETURNING "count", "lockedUntil", "lockouts"`);
  if (!row) throw new Error(`the rate limit ${key} could not be counted`);
  const lockedUntil = row.lockedUntil === null ? 0 : new Date(row.lockedUntil).getTime();
  if (lockedUntil > now.getTime()) return { allowed: false, retryAfterMs: lockedUntil - now.getTime(), lockedNow: false };
  if (Number(row.count) <= rule.max) return { allowed: true };

  // Over the limit: lock. A compare-and-set on the lockouts seen, so a burst locks once.
  const lockouts = Number(row.lockouts);
  const lockMs = lockoutMs(rule, lockouts);
  const locked = await db.$executeRaw(sql`
    UPDATE "RateLimit" SET "lockedUntil" = ${new Date(now.getTime() + lockMs)}, "lockouts" = "lockouts" + 1, "count" = 0, "windowStart" = ${now}
    WHERE "key" = ${key} AND "lockouts" = ${lockouts} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})`);
  return { allowed: false, retryAfterMs: lockMs, lockedNow: locked === 1 };
}

export type Refusal = Extract<Attempt, { allowed: false }> & { rule: LimitRule; key: string };

/**
 * Counts one attempt on each key, in order, and stops at the first refusal (the keys after it
 * are left alone). Returns the refusal, with the rule that refused, or null when all allow it.
 */
export async function countAttempts(checks: [key: string, rule: LimitRule][], now = new Date()): Promise<Refusal | null> {
  for (const [key, rule] of checks) {
    const attempt = await countAttempt(key, rule, now);
    if (!attempt.allowed) return { ...attempt, rule, key };
  }
  return null;
}

/**
 * countAttempts for a request: a lockout it starts goes to the audit trail once, as `lockout`
 * with the rule and its length (each refused attempt does not: they cost the guesser nothing).
 */
export async function admitAttempt(actor: Actor, lockout: AuditEntry, checks: [key: string, rule: LimitRule][]): Promise<Refusal | null> {
  const refused = await countAttempts(checks);
  if (refused?.lockedNow) {
    const details = { ...lockout.details, limit: refused.rule.name, minutes: Math.ceil(refused.retryAfterMs / 60_000) };
    await recordAudit(actor, { ...lockout, ok: false, details });
  }
  return refused;
}

/** Gives an attempt back: it succeeded, or the work it guarded never ran. */
export async function refundAttempt(key: string): Promise<void> {
  await db.$executeRaw(sql`UPDATE "RateLimit" SET "count" = "count" - 1 WHERE "key" = ${key} AND "count" > 0`);
}

/** Forgets a key, its lockouts included. */
export async function clearAttempts(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

/** Forgets every key that starts with the prefix (all the addresses that tried one account). */
export async function clearAttemptsStartingWith(prefix: string): Promise<void> {
  // substr, not LIKE: `_` and `%` are ordinary characters in an e-mail address.
  await db.$executeRaw(sql`DELETE FROM "RateLimit" WHERE substr("key", 1, length(${prefix})) = ${prefix}`);
}

/** Milliseconds left of the key's lockout, or 0. */
export async function lockedFor(key: string, now = new Date()): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil.getTime() - now.getTime() : 0;
}

/** Housekeeping: forgets counters whose window and last lockout are both older than the cutoff. */
export async function forgetSpentAttempts(olderThan: Date): Promise<number> {
  const { count } = await db.rateLimit.deleteMany({
    where: { windowStart: { lt: olderThan }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: olderThan } }] },
  });
  return count;
}
