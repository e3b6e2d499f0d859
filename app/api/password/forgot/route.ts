import * as z from 'zod';
import { publicJsonRoute, noStoreJson } from '@/lib/auth/public-route';
import { requestPasswordReset } from '@/lib/users/password-links';
import { getLocale, getTranslations } from 'next-intl/server';
import { localeOrDefault } from '@/lib/i18n/messages';
import { PASSWORD_LINK_HOURS } from '@/lib/domain/limits';
import { emailSchema } from '@/lib/domain/user';

export const dynamic = 'force-dynamic';

/**
 * POST /api/password/forgot — public on purpose: "Forgot password?" on the login page. The
 * same answer whether an account has the address or not; limited per address, and per
 * address and account (requestPasswordReset).
 */
export const POST = publicJsonRoute(
  z.object({ email: emailSchema }),
  async ({ email }, ip) => {
    await requestPasswordReset(email, ip, localeOrDefault(await getLocale()));
    return noStoreJson({ message: (await getTranslations('account.forgot'))('sent', { hours: PASSWORD_LINK_HOURS }) });
  },
  { maxBytes: 2 * 1024, failure: 'unreachable', label: 'password forgot' },
);
