import * as z from 'zod';
import { publicJsonRoute, noStoreJson } from '@/lib/auth/public-route';
import { setPasswordFromLink } from '@/lib/users/password-links';
import { passwordSchema } from '@/lib/domain/user';

export const dynamic = 'force-dynamic';

/**
 * POST /api/password/set — public on purpose: a mailed single-use link is the authorization.
 * Spends the link and sets the password (setPasswordFromLink); a dead link gets one answer.
 */
export const POST = publicJsonRoute(
  z.object({ token: z.string().max(200), password: passwordSchema }),
  async ({ token, password }, ip) => noStoreJson(await setPasswordFromLink(token, password, ip)),
  { maxBytes: 4 * 1024, failure: 'unreachable', label: 'password set' },
);
