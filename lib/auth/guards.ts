import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { authOptions } from './options';
import { clientIp } from './request';
import { sessionIsCurrent } from './sessions';

export type Role = 'admin' | 'webmaster';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** the interface's language they chose; null: their browser's */
  locale: string | null;
}

/**
 * The signed-in user, read again from the registry on every request (pages, route handlers
 * and server actions all come here): a deleted user loses access at once, and so does a
 * session ended since it was signed (sign-out, password or role change: see sessions.ts),
 * not when its token expires.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const signed = session?.user as { id?: string; sv?: unknown } | undefined;
  if (!signed?.id) return null;
  const user = await db.user.findUnique({ where: { id: signed.id }, select: { id: true, email: true, name: true, role: true, locale: true, sessionVersion: true } });
  if (!user || !sessionIsCurrent(signed.sv, user.sessionVersion)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
}

/** For pages and server actions: the user, or a redirect to the login page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

/** For pages and server actions: an admin, or the 403 page. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== 'admin') forbidden();
  return user;
}

/** Who acts, from where: for the audit trail of pages and server actions. */
export async function actorFor(user: SessionUser, source: 'ui' | 'api' = 'ui'): Promise<Actor> {
  return { userId: user.id, email: user.email, source, ip: clientIp(await headers()) };
}
