import { getLocale } from 'next-intl/server';
import { publicJsonRoute, noStoreJson } from '@/lib/auth/public-route';
import { selfServiceSignup, signupSchema } from '@/lib/sites/self-service';
import type { SignupAccepted } from '@/app/_lib/signup-progress';

export const dynamic = 'force-dynamic';

/**
 * POST /api/signup — public on purpose (no session): the self-service page. The activation
 * code is the authorization; selfServiceSignup rate-limits and gives one answer for any bad
 * code. Only our own page may call it (Origin check), and the client address comes from the
 * header our server sets, never from one the client sent. Four short fields: 8 KiB at most.
 */
export const POST = publicJsonRoute(
  signupSchema,
  async (input, ip) => {
    const accepted: SignupAccepted = await selfServiceSignup(ip, input, await getLocale());
    return noStoreJson(accepted, 202);
  },
  { maxBytes: 8 * 1024, failure: 'signupFailed', label: 'signup' },
);
