import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import * as z from 'zod';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import { LOGIN_BUSY, LOGIN_PER_ADDRESS, LOGIN_PER_ADDRESS_AND_ACCOUNT, limitAddress, loginKeys, loginLockedCode } from '../domain/limits';
import { DECOY_HASH, HashBusyError, verifyPassword } from './password';
import { admitAttempt, clearAttempts, refundAttempt } from './rate-limit';
import { endSessionsFrom } from './sessions';
import { clientIp } from './request';

export const SESSION_HOURS = 12;

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) });

export interface AuthorizedUser {
  id: string;
  email: string;
  name: string | null;
  role: string;
  sessionVersion: number;
}

/**
 * Checks a sign-in. The attempt is counted against the client's address, and against the
 * address with the account, before the password is hashed: a flood is refused without
 * hashing, and it holds off the address it comes from, never the account's owner elsewhere.
 * Refusals are thrown as next-auth error codes (see loginErrorMessage); a wrong e-mail or
 * password is `null`, next-auth's one generic answer.
 */
export async function authorizeCredentials(raw: unknown, ip: string): Promise<AuthorizedUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const keys = loginKeys(limitAddress(ip), email);
  const refused = await admitAttempt({ source: 'ui', ip, email }, { action: 'auth.lockout' }, [
    [keys.address, LOGIN_PER_ADDRESS],
    [keys.account, LOGIN_PER_ADDRESS_AND_ACCOUNT],
  ]);
  if (refused) throw new Error(loginLockedCode(refused.retryAfterMs));
  const user = await db.user.findUnique({ where: { email } });
  let ok: boolean;
  try {
    ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
  } catch (err) {
    if (!(err instanceof HashBusyError)) throw err;
    // Nothing was checked: the attempt is given back.
    await Promise.all([refundAttempt(keys.address), refundAttempt(keys.account)]);
    throw new Error(LOGIN_BUSY);
  }
  if (!user || !ok) {
    await recordAudit({ source: 'ui', ip, email }, { action: 'auth.login', ok: false, details: { reason: 'wrong email or password' } });
    return null;
  }
  await Promise.all([clearAttempts(keys.account), refundAttempt(keys.address)]);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({ source: 'ui', ip, email, userId: user.id }, { action: 'auth.login' });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

/** next-auth's options, built on first use: the signing secret is derived from Mutu's secret key. */
export function authOptions(): NextAuthOptions {
  return {
    secret: deriveKey(config().secretKey, 'next-auth').toString('hex'),
    session: { strategy: 'jwt', maxAge: SESSION_HOURS * 3600 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Mutu',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials, req) => authorizeCredentials(credentials, clientIp({ get: (n: string) => (req.headers?.[n] as string | undefined) ?? null })),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const signedIn = user as unknown as AuthorizedUser;
          token.uid = signedIn.id;
          token.role = signedIn.role;
          token.sv = signedIn.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.uid, role: token.role, sv: token.sv });
        return session;
      },
    },
    events: {
      // Signing out of one session ends them all: the token itself stays valid until it
      // expires, so a copy of it must stop working now.
      signOut: ({ token }) => endSessionsFrom(token?.uid, token?.sv),
    },
  };
}
