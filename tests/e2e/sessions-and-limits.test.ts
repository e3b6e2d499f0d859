import crypto from 'node:crypto';
import path from 'node:path';
import { createClient } from '@libsql/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { httpRequest, MutuHttp, type SessionCookie } from '../helpers/http-session';
import { startApp, type RunningApp } from '../helpers/server';
import { services } from '../helpers/services';
import { LOGIN_PER_ADDRESS_AND_ACCOUNT } from '@/lib/domain/limits';

// Over real HTTP against a real server, as a thief holding a copied cookie or a flood of
// guesses would come: the server takes the client address from its socket, and the tests
// leave from 127.0.0.1 (the attacker) and 127.0.0.2 (everyone else).
const ATTACKER = '127.0.0.1';
const ELSEWHERE = '127.0.0.2';

const ADMIN = { email: 'admin@example.org', password: 'admin password for the session test' };
const suffix = crypto.randomBytes(3).toString('hex');
const webmaster = (name: string) => ({ email: `${name}-${suffix}@example.org`, password: `${name} password long enough` });
const OUT = webmaster('signs-out');
const RESET = webmaster('reset');
const PROMOTED = webmaster('promoted');
const EVERYWHERE = webmaster('everywhere');

describe('sessions that end, and login limits, over HTTP', () => {
  let app: RunningApp;
  let http: MutuHttp;
  /** An admin session nobody touches: it must keep working through every test. */
  let untouched: SessionCookie;
  const mutu = (args: string[], stdin?: string) => runCli(args, { env: app.env, stdin });

  beforeAll(async () => {
    app = await startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password });
    http = new MutuHttp(app.url);
    for (const who of [OUT, RESET, PROMOTED, EVERYWHERE]) {
      const r = await mutu(['users', 'create', '--email', who.email, '--role', 'webmaster', '--password-stdin'], who.password);
      expect(r.code, r.stderr).toBe(0);
    }
    const signed = await http.signIn(ADMIN, ELSEWHERE);
    expect(signed.error).toBeUndefined();
    untouched = signed.cookie!;
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
  });

  /** Signs in from elsewhere and checks the session works, then hands back its cookie. */
  async function session(who: { email: string; password: string }): Promise<SessionCookie> {
    const { cookie, error } = await http.signIn(who, ELSEWHERE);
    expect(error, `${who.email} signs in`).toBeUndefined();
    expect(await http.sessionState(cookie!)).toBe('user');
    return cookie!;
  }

  describe('a copied session cookie', () => {
    it('is refused once its owner signs out', async () => {
      const cookie = await session(OUT);
      const copy = `${cookie}`;
      await http.signOut(cookie);
      expect(await http.sessionState(copy)).toBe('anonymous');
      // Signing out with the stale copy again changes nothing for a new session.
      const fresh = await session(OUT);
      await http.signOut(copy);
      expect(await http.sessionState(fresh)).toBe('user');
      expect(await http.sessionState(untouched)).toBe('user');
    });

    it('is refused once the password is reset with `mutu users passwd`', async () => {
      const copy = await session(RESET);
      const r = await mutu(['users', 'passwd', '--email', RESET.email]);
      expect(r.code, r.stderr).toBe(0);
      expect(await http.sessionState(copy)).toBe('anonymous');
      const generated = /Password: (\S+)/.exec(r.stdout)![1]!;
      expect((await http.signIn(RESET, ELSEWHERE)).error).toBe('CredentialsSignin');
      await session({ email: RESET.email, password: generated });
      expect(await http.sessionState(untouched)).toBe('user');
    });

    it('is refused once the role changes with `mutu users role`', async () => {
      const copy = await session(PROMOTED);
      const r = await mutu(['users', 'role', '--email', PROMOTED.email, '--role', 'admin']);
      expect(r.code, r.stderr).toBe(0);
      expect(await http.sessionState(copy)).toBe('anonymous');
      // Signed in again, the new role applies.
      const fresh = await session(PROMOTED);
      expect((await httpRequest(`${app.url}/api/jobs`, { headers: { cookie: fresh } })).status).toBe(200);
      expect(await http.sessionState(untouched)).toBe('user');
    });

    it.skipIf(!services.chromium)('is refused after "Sign out everywhere", which signs the browser out too', async () => {
      const elsewhere = await session(EVERYWHERE);
      let browser: Browser | undefined;
      try {
        browser = await launchBrowser();
        const context = await browser.newContext({ baseURL: app.url });
        const page = await signIn(await context.newPage(), EVERYWHERE);
        const browserCookie = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
        const copy = `${browserCookie.name}=${browserCookie.value}`;
        expect(await http.sessionState(copy)).toBe('user');

        await page.getByRole('button', { name: `Account menu of ${EVERYWHERE.email}` }).click({ timeout: 10_000 });
        await page.getByRole('button', { name: 'Sign out everywhere' }).click({ timeout: 10_000 });
        await page.waitForURL((url) => url.pathname === '/login');
        expect((await context.cookies()).filter((c) => c.name.endsWith('next-auth.session-token'))).toEqual([]);
        expect(await http.sessionState(copy)).toBe('anonymous');
        expect(await http.sessionState(elsewhere)).toBe('anonymous');
        expect(await http.sessionState(untouched)).toBe('user');
      } finally {
        await browser?.close();
      }
    });
  });

  describe('login and self-service limits', () => {
    const registry = () => createClient({ url: `file:${path.join(app.dataDir, 'mutu.db')}` });

    /** Password checks the server ran for this e-mail: each wrong one leaves its audit row. */
    async function passwordChecks(email: string): Promise<number> {
      const client = registry();
      try {
        const rows = await client.execute({
          sql: "SELECT count(*) AS n FROM AuditEvent WHERE action = 'auth.login' AND ok = 0 AND actorEmail = ? AND details LIKE '%wrong email or password%'",
          args: [email],
        });
        return Number(rows.rows[0]!.n);
      } finally {
        client.close();
      }
    }

    it('checks at most the limit of 40 parallel wrong passwords, and the owner still signs in from elsewhere', async () => {
      const before = await passwordChecks(ADMIN.email);
      const guesses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => http.signIn({ email: ADMIN.email, password: `guess number ${i}` }, ATTACKER)),
      );
      expect(guesses.every((g) => g.cookie === undefined)).toBe(true);
      const checked = (await passwordChecks(ADMIN.email)) - before;
      expect(checked).toBeGreaterThan(0);
      expect(checked).toBeLessThanOrEqual(LOGIN_PER_ADDRESS_AND_ACCOUNT.max);
      expect(guesses.filter((g) => g.error?.startsWith('TooManyAttempts')).length).toBeGreaterThanOrEqual(40 - LOGIN_PER_ADDRESS_AND_ACCOUNT.max);

      // The attacker's address is held off, even with the right password...
      expect((await http.signIn(ADMIN, ATTACKER)).error).toMatch(/^TooManyAttempts/);
      // ...the owner, elsewhere, is not.
      await session(ADMIN);
      expect(await http.sessionState(untouched)).toBe('user');
    }, 180_000);

    it("does not let wrong activation codes from one address stop another address's right code for the same host", async () => {
      const created = await mutu(['codes', 'create', '--label', `limits ${suffix}`, '--uses', '2']);
      expect(created.code, created.stderr).toBe(0);
      const code = /mutu-[a-z0-9]{10}-[A-Za-z0-9_-]{32}/.exec(created.stdout)![0];
      const host = `limits-${suffix}.example.org`;
      const signup = (from: string, withCode: string, email: string) =>
        httpRequest(`${app.url}/api/signup`, {
          method: 'POST',
          from,
          headers: { origin: app.url, 'content-type': 'application/json' },
          body: JSON.stringify({ host, email, password: 'a visitor password 1234', code: withCode }),
        });

      for (let i = 0; i < 8; i++) {
        const wrong = await signup(ATTACKER, `mutu-${'a'.repeat(10)}-${'B'.repeat(31)}${i}`, `attacker-${suffix}@example.org`);
        expect(wrong.status, wrong.body).toBeOneOf([422, 429]);
      }
      const owner = await signup(ELSEWHERE, code, `owner-${suffix}@example.org`);
      expect(owner.status, owner.body).toBe(202);
      expect(JSON.parse(owner.body)).toMatchObject({ host });

      // The address that sent the wrong codes is held off, even with the right one.
      const held = await signup(ATTACKER, code, `attacker-${suffix}@example.org`);
      expect(held.status, held.body).toBe(429);
      expect(JSON.parse(held.body).error).toMatch(/^Too many attempts from your address; try again in \d+ minutes?\.$/);
    });
  });
});
