import * as z from 'zod';
import { jsonError } from '@/lib/auth/route';
import { publicJsonRoute, noStoreJson } from '@/lib/auth/public-route';
import { describePasswordLink } from '@/lib/users/password-links';
import { getTranslations } from 'next-intl/server';

export const dynamic = 'force-dynamic';

/**
 * POST /api/password/check — public on purpose: the page a mailed link opens asks whether the
 * link still works, and for whom, before showing its form. The token comes in the body (it
 * rides in the link's fragment, never in a URL a server sees). A dead link: 404, one answer.
 */
export const POST = publicJsonRoute(
  z.object({ token: z.string().max(200) }),
  async ({ token }) => {
    const found = await describePasswordLink(token);
    return found ? noStoreJson({ email: found.email }) : jsonError(404, (await getTranslations('serverErrors'))('deadLink'));
  },
  { maxBytes: 1024, failure: 'unreachable', label: 'password check' },
);
