import { db } from '../db/client';

/** The little a check needs to know about who asks. */
export interface Requester {
  id: string;
  role: string;
}

/**
 * Whether this user may see a site's exports: any admin, or one of the site's webmasters.
 * Callers answer "not found" when it is false, so nobody learns what exists.
 */
export async function canSeeSite(user: Requester, siteId: string): Promise<boolean> {
  if (user.role === 'admin') return true;
  const link = await db.siteWebmaster.findUnique({ where: { siteId_userId: { siteId, userId: user.id } }, select: { userId: true } });
  return !!link;
}
