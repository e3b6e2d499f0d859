import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { currentUser } from '@/lib/auth/guards';
import { chooseLocale, LOCALE_COOKIE } from '@/lib/domain/locale';
import { messagesFor } from '@/lib/i18n/messages';

/**
 * No language in the URL: the signed-in user's setting, else the login page's switch (a
 * cookie), else the browser's Accept-Language, else English. Times are shown in UTC, as the
 * CLI and the logs show them.
 */
export default getRequestConfig(async () => {
  const [user, jar, h] = await Promise.all([currentUser().catch(() => null), cookies(), headers()]);
  const locale = chooseLocale({ user: user?.locale, cookie: jar.get(LOCALE_COOKIE)?.value, acceptLanguage: h.get('accept-language') });
  return { locale, messages: messagesFor(locale), timeZone: 'UTC' };
});
