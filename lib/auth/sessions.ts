import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';

/**
 * Sessions are signed tokens (next-auth JWT) that the server does not keep. Each carries its
 * user's `sessionVersion` from sign-in, and a request is let in only while the user still has
 * that version; bumping it ends every session of the user at once, copies included.
 */

/** Spread into a user update: the change (password, role) ends the user's sessions with it. */
export const END_SESSIONS = { sessionVersion: { increment: 1 } } as const;

/** Whether a token signed in at `tokenVersion` may still act for a user now at `userVersion`. */
export function sessionIsCurrent(tokenVersion: unknown, userVersion: number): boolean {
  return typeof tokenVersion === 'number' && tokenVersion === userVersion;
}

/**
 * Ends the user's sessions when signing out of one. Only a current session can do it: a stale
 * copy (already ended) signing out must not end the sessions opened since.
 */
export async function endSessionsFrom(userId: unknown, tokenVersion: unknown): Promise<void> {
  if (typeof userId !== 'string' || typeof tokenVersion !== 'number') return;
  await db.user.updateMany({ where: { id: userId, sessionVersion: tokenVersion }, data: END_SESSIONS });
}

/** "Sign out everywhere": every session of the user ends, this one included. */
export async function endAllSessions(actor: Actor, userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: END_SESSIONS });
  await recordAudit(actor, { action: 'auth.signout-everywhere' });
}
