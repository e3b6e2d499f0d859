import { describe, expect, it } from 'vitest';
import {
  LOGIN_BUSY,
  LOGIN_PER_ADDRESS,
  LOGIN_PER_ADDRESS_AND_ACCOUNT,
  SIGNUP_PER_ADDRESS,
  SIGNUP_PER_ADDRESS_AND_HOST,
  limitAddress,
  lockoutMs,
  loginAccountPrefix,
  loginRefusal,
  loginKeys,
  loginLockedCode,
  signupKeys,
} from '@/lib/domain/limits';
import { MutuError } from '@/lib/domain/errors';
import { localizedError, tooManyAttemptsError } from '@/lib/i18n/errors';

const tooManyAttemptsMessage = (ms: number) => tooManyAttemptsError(ms, (m) => new MutuError(m, 429)).message;

const MINUTE = 60_000;

describe('limit rules', () => {
  it('double each lockout in a row, up to a day', () => {
    expect([0, 1, 2, 3, 6, 7, 50].map((n) => lockoutMs(LOGIN_PER_ADDRESS_AND_ACCOUNT, n) / MINUTE)).toEqual([15, 30, 60, 120, 960, 1440, 1440]);
    expect([0, 1, 4, 5].map((n) => lockoutMs(SIGNUP_PER_ADDRESS, n) / MINUTE)).toEqual([60, 120, 960, 1440]);
  });

  it('allow an address more attempts than one account or host from it', () => {
    expect(LOGIN_PER_ADDRESS.max).toBeGreaterThan(LOGIN_PER_ADDRESS_AND_ACCOUNT.max);
    expect(SIGNUP_PER_ADDRESS.max).toBeGreaterThan(SIGNUP_PER_ADDRESS_AND_HOST.max);
  });

  it('count IPv4 addresses whole and IPv6 ones by their /64', () => {
    expect(limitAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(limitAddress('unknown')).toBe('unknown');
    const sameSubscriber = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0:0:0:5', '2001:db8:1:2::1%eth0'];
    expect(new Set(sameSubscriber.map(limitAddress))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(limitAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(limitAddress('::1')).toBe('0:0:0:0::/64');
    expect(limitAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(limitAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('key sign-ins by address and by address with account, never by account alone', () => {
    const keys = loginKeys('203.0.113.9', 'ann@example.org');
    expect(keys.address).toBe('login:address:203.0.113.9');
    expect(keys.account.startsWith(loginAccountPrefix('ann@example.org'))).toBe(true);
    expect(keys.account).toContain('203.0.113.9');
    expect(loginKeys('203.0.113.10', 'ann@example.org').account).not.toBe(keys.account);
    expect(keys.account.startsWith(loginAccountPrefix('nn@example.org'))).toBe(false);
    const signup = signupKeys('203.0.113.9', 'club.example.org');
    expect(signup.host).toContain('203.0.113.9');
    expect(signupKeys('203.0.113.10', 'club.example.org').host).not.toBe(signup.host);
  });
});

describe('refusal messages', () => {
  it('say who is held off and for how long', () => {
    expect(tooManyAttemptsMessage(15 * MINUTE)).toBe('Too many attempts from your address; try again in 15 minutes.');
    expect(tooManyAttemptsMessage(14 * MINUTE + 1)).toBe('Too many attempts from your address; try again in 15 minutes.');
    expect(tooManyAttemptsMessage(1000)).toBe('Too many attempts from your address; try again in 1 minute.');
    expect(tooManyAttemptsMessage(16 * 60 * MINUTE)).toBe('Too many attempts from your address; try again in 16 hours.');
  });

  it('are said in French to a French reader', () => {
    expect(localizedError(tooManyAttemptsError(15 * MINUTE, (m) => new MutuError(m, 429)), 'fr').message).toBe('Trop de tentatives depuis votre adresse\u00a0; réessayez dans 15 minutes.');
    expect(localizedError(tooManyAttemptsError(16 * 60 * MINUTE, (m) => new MutuError(m, 429)), 'fr').message).toBe('Trop de tentatives depuis votre adresse\u00a0; réessayez dans 16 heures.');
  });

  it('come back from the sign-in codes, and nothing else does: text in a URL is never shown', () => {
    expect(loginRefusal(loginLockedCode(30 * MINUTE))).toEqual({ kind: 'locked', wait: { minutes: 30 } });
    expect(loginRefusal(loginLockedCode(3 * 60 * MINUTE))).toEqual({ kind: 'locked', wait: { hours: 3 } });
    expect(loginRefusal(LOGIN_BUSY)).toEqual({ kind: 'busy' });
    for (const code of [undefined, null, '', 'CredentialsSignin', 'TooManyAttempts:', 'TooManyAttempts:-3', 'TooManyAttempts:1e9', 'TooManyAttempts:<b>hi</b>', 'Your account is closed, call +1 555']) {
      expect(loginRefusal(code), String(code)).toEqual({ kind: 'wrong' });
    }
  });
});
