import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import type { Actor } from '@/lib/domain/actor';

useTestFarm();
const { authorizeCredentials } = await import('@/lib/auth/options');
const { hashGate } = await import('@/lib/auth/password');
const { createUser, setPassword, setRole } = await import('@/lib/users/service');
const { LOGIN_PER_ADDRESS, LOGIN_PER_ADDRESS_AND_ACCOUNT, loginKeys } = await import('@/lib/domain/limits');
const { db } = await import('@/lib/db/client');

const cli: Actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' };
const OWNER = { email: 'boss@example.org', password: 'the boss password, long' };
const LOCKED = /^TooManyAttempts:\d+$/;

/** How a sign-in ended: the user's e-mail, 'wrong' (next-auth's generic answer) or the refusal code thrown. */
const outcome = (p: Promise<{ email: string } | null>) =>
  p.then(
    (u) => (u ? u.email : 'wrong'),
    (e: Error) => e.message,
  );

beforeAll(async () => {
  await createUser(cli, { ...OWNER, role: 'admin' });
});

describe('sign-in limits', () => {
  it('checks at most the limit of 40 parallel wrong passwords for one account, and its owner still signs in from elsewhere', async () => {
    const before = hashGate.stats.started;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => outcome(authorizeCredentials({ email: OWNER.email, password: `guess ${i}` }, '198.51.100.7'))),
    );
    const checked = hashGate.stats.started - before;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(LOGIN_PER_ADDRESS_AND_ACCOUNT.max);
    expect(results.filter((r) => r === 'wrong')).toHaveLength(checked);
    expect(results.filter((r) => LOCKED.test(r))).toHaveLength(40 - checked);
    expect(hashGate.stats.peak).toBeLessThanOrEqual(hashGate.slots);

    // The address that guessed is held off, even with the right password...
    expect(await outcome(authorizeCredentials(OWNER, '198.51.100.7'))).toMatch(LOCKED);
    // ...the owner, from anywhere else, is not.
    expect(await outcome(authorizeCredentials(OWNER, '198.51.100.8'))).toBe(OWNER.email);
    // Each lockout is recorded once, not each refused attempt: the account from this address
    // (past 5 attempts) and the address itself (past 20), in whichever order they came.
    const lockouts = await db.auditEvent.findMany({ where: { action: 'auth.lockout', ip: '198.51.100.7' } });
    expect(lockouts.map((l) => l.details as { limit: string }).sort((a, b) => a.limit.localeCompare(b.limit))).toEqual([
      { limit: LOGIN_PER_ADDRESS.name, minutes: 15 },
      { limit: LOGIN_PER_ADDRESS_AND_ACCOUNT.name, minutes: 15 },
    ]);
  });

  it('counts an unknown e-mail like a known one, and says nothing more', async () => {
    for (let i = 0; i < LOGIN_PER_ADDRESS_AND_ACCOUNT.max; i++) {
      expect(await outcome(authorizeCredentials({ email: 'nobody@example.org', password: 'whatever it is' }, '198.51.100.9'))).toBe('wrong');
    }
    expect(await outcome(authorizeCredentials({ email: 'nobody@example.org', password: 'whatever it is' }, '198.51.100.9'))).toMatch(LOCKED);
  });

  it('holds off an IPv6 subscriber by its /64, not the addresses beside it', async () => {
    for (let i = 0; i < LOGIN_PER_ADDRESS_AND_ACCOUNT.max; i++) {
      await outcome(authorizeCredentials({ email: OWNER.email, password: `v6 guess ${i}` }, `2001:db8:7:7::${i + 1}`));
    }
    expect(await outcome(authorizeCredentials(OWNER, '2001:db8:7:7::abcd'))).toMatch(LOCKED);
    expect(await outcome(authorizeCredentials(OWNER, '2001:db8:7:8::1'))).toBe(OWNER.email);
  });

  it('answers "busy" without counting the attempt while every hashing slot and the queue are taken', async () => {
    let free!: () => void;
    const held = new Promise<void>((resolve) => (free = resolve));
    const blockers = Array.from({ length: hashGate.slots + hashGate.queue }, () => hashGate.run(() => held));
    try {
      expect(await outcome(authorizeCredentials(OWNER, '198.51.100.10'))).toBe('Busy');
    } finally {
      free();
      await Promise.all(blockers);
    }
    const keys = loginKeys('198.51.100.10', OWNER.email);
    const counts = await db.rateLimit.findMany({ where: { key: { in: [keys.address, keys.account] } } });
    expect(counts.map((c) => c.count)).toEqual([0, 0]);
    expect(await outcome(authorizeCredentials(OWNER, '198.51.100.10'))).toBe(OWNER.email);
  });

  it('gives the owner back their account everywhere when the password is reset', async () => {
    const from = '198.51.100.20';
    for (let i = 0; i < LOGIN_PER_ADDRESS_AND_ACCOUNT.max; i++) await outcome(authorizeCredentials({ email: OWNER.email, password: `guess ${i}` }, from));
    expect(await outcome(authorizeCredentials(OWNER, from))).toMatch(LOCKED);
    OWNER.password = 'a brand new boss password';
    await setPassword(cli, OWNER.email, OWNER.password);
    expect(await outcome(authorizeCredentials(OWNER, from))).toBe(OWNER.email);
  });
});

describe('session versions', () => {
  it('are carried from sign-in, and bumped by a password change and a role change', async () => {
    const version = async () => (await authorizeCredentials(OWNER, '198.51.100.30'))!.sessionVersion;
    const v0 = await version();
    await setPassword(cli, OWNER.email, OWNER.password);
    expect(await version()).toBe(v0 + 1);
    await createUser(cli, { email: 'second@example.org', role: 'admin', password: 'second admin password' });
    await setRole(cli, OWNER.email, 'webmaster');
    expect(await version()).toBe(v0 + 2);
    // Asking for the role it already has changes nothing, sessions included.
    expect((await setRole(cli, OWNER.email, 'webmaster')).changed).toBe(false);
    expect(await version()).toBe(v0 + 2);
  });
});
