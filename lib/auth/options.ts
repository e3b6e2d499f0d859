import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import { hashPassword, verifyPassword } from './password';
import { clearFailures, lockedFor, LOGIN_PER_CLIENT, LOGIN_PER_EMAIL, recordFailure } from './rate-limit';
import { clientIp } from './request';

export const SESSION_HOURS = 12;
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) });

// Compared against when the e-mail is unknown, so a wrong address costs the same time as a wrong password.
let decoyHash: Promise<string> | undefined;

async function authorize(raw: unknown, headers: { get(n: string): string | null }) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = clientIp(headers);
  const keys = [`login:email:${email}`, `login:ip:${ip}`];
  if ((await lockedFor(keys[0]!)) || (await lockedFor(keys[1]!))) throw new Error(TOO_MANY_ATTEMPTS);
  const user = await db.user.findUnique({ where: { email } });
  decoyHash ??= hashPassword('decoy password that matches nothing');
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
  if (!user || !ok) {
    await recordFailure(keys[0]!, LOGIN_PER_EMAIL);
    await recordFailure(keys[1]!, LOGIN_PER_CLIENT);
    await recordAudit({ source: 'ui', ip, email }, { action: 'auth.login', ok: false, details: { reason: 'wrong email or password' } });
    return null;
  }
  await clearFailures(keys[0]!);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({ source: 'ui', ip, email, userId: user.id }, { action: 'auth.login' });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
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
        authorize: (credentials, req) =>
          authorize(credentials, { get: (n: string) => (req.headers?.[n] as string | undefined) ?? null }),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: string }).role;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.uid, role: token.role });
        return session;
      },
    },
  };
}
