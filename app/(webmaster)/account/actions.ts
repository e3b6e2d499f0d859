'use server';

import { cookies, headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { changeOwnPassword, setOwnLocale } from '@/lib/users/account';
import { passwordSchema } from '@/lib/domain/user';
import { chooseLocale, LOCALE_COOKIE, LOCALES } from '@/lib/domain/locale';

/** Any signed-in person, for their own account only: the user comes from the session, never from the form. */
const change = formAction(
  z.object({ current: z.string().max(1024), password: passwordSchema }),
  async ({ current, password }, { user, actor }) => {
    const { email } = await changeOwnPassword(actor, user.id, current, password);
    return { ok: true, message: (await getTranslations('account.change'))('done'), fields: { email } };
  },
  { role: 'any' },
);

export async function changePasswordAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return change(prev, form);
}

/**
 * Their own language (empty: as their browser asks). The login page's cookie follows, so the
 * pages before signing in speak it too; the page is drawn again in it by the form.
 */
const language = formAction(
  z.object({ locale: z.union([z.enum(LOCALES), z.literal('')]) }),
  async ({ locale }, { user, actor }) => {
    await setOwnLocale(actor, user.id, locale || null);
    const jar = await cookies();
    if (locale) jar.set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax' });
    else jar.delete(LOCALE_COOKIE);
    // Said in the language just chosen (this request began in the old one).
    const now = locale || chooseLocale({ acceptLanguage: (await headers()).get('accept-language') });
    return { ok: true, message: (await getTranslations({ locale: now, namespace: 'language' }))('saved') };
  },
  { role: 'any' },
);

export async function setLanguageAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return language(prev, form);
}
