/**
 * Every limit on guessing (passwords, activation codes) and on the password hashing it costs,
 * in one place. Limits count per client address, and per address and target, never per target
 * alone: otherwise anyone could lock an admin out, or keep a host from being created, by
 * guessing badly on purpose. Free of I/O: the login form shows these messages too.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface LimitRule {
  /** for the audit trail */
  name: string;
  /** attempts allowed within the window; the next one is refused and starts a lockout */
  max: number;
  windowMs: number;
  /** the first lockout; each further one in a row lasts twice the one before, up to maxLockMs */
  lockMs: number;
  maxLockMs: number;
}

/** Sign-ins from one address, whatever the accounts: 20 a quarter hour. */
export const LOGIN_PER_ADDRESS: LimitRule = { name: 'sign-ins per address', max: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, maxLockMs: 24 * HOUR };
/** Sign-ins to one account from one address: 5 a quarter hour. */
export const LOGIN_PER_ADDRESS_AND_ACCOUNT: LimitRule = {
  name: 'sign-ins per address and account',
  max: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  maxLockMs: 24 * HOUR,
};
/** Self-service sign-ups (activation codes) from one address: 10 an hour. */
export const SIGNUP_PER_ADDRESS: LimitRule = { name: 'sign-ups per address', max: 10, windowMs: HOUR, lockMs: HOUR, maxLockMs: 24 * HOUR };
/** Self-service sign-ups for one host from one address: 5 an hour. */
export const SIGNUP_PER_ADDRESS_AND_HOST: LimitRule = { name: 'sign-ups per address and host', max: 5, windowMs: HOUR, lockMs: HOUR, maxLockMs: 24 * HOUR };

/** "Forgot password?" requests from one address, whatever the accounts: 10 an hour. */
export const RESET_PER_ADDRESS: LimitRule = { name: 'password links per address', max: 10, windowMs: HOUR, lockMs: HOUR, maxLockMs: 24 * HOUR };
/** "Forgot password?" requests for one account from one address: 3 an hour (each one mails its owner). */
export const RESET_PER_ADDRESS_AND_ACCOUNT: LimitRule = {
  name: 'password links per address and account',
  max: 3,
  windowMs: HOUR,
  lockMs: HOUR,
  maxLockMs: 24 * HOUR,
};

/** After a day without a lockout, the next one is the shortest again. */
export const FORGET_LOCKOUTS_AFTER_MS = 24 * HOUR;

/** How long the next lockout lasts, after `lockoutsInARow` before it. */
export function lockoutMs(rule: LimitRule, lockoutsInARow: number): number {
  return Math.min(rule.lockMs * 2 ** Math.min(Math.max(lockoutsInARow, 0), 20), rule.maxLockMs);
}

/** Password hashes (scrypt: ~128 MiB and a core for ~0.3 s each) one process runs at once. */
export const hashesAtOnce = (cpus: number) => Math.max(1, cpus);
/** Hashes that may wait for a free slot, per slot; past that, "busy" at once rather than a pile-up. */
export const HASH_QUEUE_PER_SLOT = 4;

/** The part of a client address the limits count: IPv4 whole, IPv6 by its /64 (what one subscriber gets). */
export function limitAddress(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]!.split('::');
  const groupsOf = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const first = groupsOf(head);
  const groups = tail === undefined ? first : [...first, ...Array<string>(Math.max(0, 8 - first.length - groupsOf(tail).length)).fill('0'), ...groupsOf(tail)];
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/** Rate-limit keys of a sign-in: the address, and the address with the account. */
export function loginKeys(address: string, email: string) {
  return { address: `login:address:${address}`, account: `${loginAccountPrefix(email)}${address}` };
}

/** Every address+account key of one account starts with this: a password reset clears them all. */
export const loginAccountPrefix = (email: string) => `login:account:${email}:address:`;

/** Rate-limit keys of a "Forgot password?" request: the address, and the address with the account. */
export function resetKeys(address: string, email: string) {
  return { address: `reset:address:${address}`, account: `reset:account:${email}:address:${address}` };
}

/** Rate-limit keys of a self-service sign-up: the address, and the address with the host. */
export function signupKeys(address: string, host: string) {
  return { address: `signup:address:${address}`, host: `signup:host:${host}:address:${address}` };
}

/** A wait in minutes, or in whole hours from two hours on: what a refusal tells to wait. */
export function waitFor(ms: number): { minutes: number } | { hours: number } {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  return minutes < 120 ? { minutes } : { hours: Math.ceil(minutes / 60) };
}

/**
 * next-auth hands a sign-in's refusal to the page as a short code in the URL: the login form
 * turns it back into words, so no text from a URL is ever shown as is.
 */
export const LOGIN_BUSY = 'Busy';
const LOCKED_PREFIX = 'TooManyAttempts:';
export const loginLockedCode = (retryAfterMs: number) => `${LOCKED_PREFIX}${Math.max(1, Math.ceil(retryAfterMs / MINUTE))}`;

export type LoginRefusal = { kind: 'wrong' } | { kind: 'busy' } | { kind: 'locked'; wait: { minutes: number } | { hours: number } };

/** What a sign-in refusal code means, for the login form to say in the reader's language; anything unknown is the one generic answer. */
export function loginRefusal(code: string | null | undefined): LoginRefusal {
  if (code === LOGIN_BUSY) return { kind: 'busy' };
  if (code?.startsWith(LOCKED_PREFIX)) {
    const minutes = Number(code.slice(LOCKED_PREFIX.length));
    if (Number.isInteger(minutes) && minutes > 0 && minutes <= FORGET_LOCKOUTS_AFTER_MS / MINUTE) return { kind: 'locked', wait: waitFor(minutes * MINUTE) };
  }
  return { kind: 'wrong' };
}

/** How long a mailed link to choose a password works (a welcome, a forgotten password). */
export const PASSWORD_LINK_HOURS = 72;
