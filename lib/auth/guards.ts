import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { authOptions } from './options';
import { clientIp } from './request';

export type Role = 'admin' | 'webmaster';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * The signed-in user, read again from the registry on every request: a deleted or
 * demoted user loses access at once, not when the session token expires.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
  return user ? { ...user, role: user.role as Role } : null;
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
