import type { z } from 'zod';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { getLocale } from 'next-intl/server';
import { isLocale, type Locale } from '../domain/locale';
import { localizedError } from '../i18n/errors';
import { ZOD_WORDS } from '../i18n/zod-words';
import { translatorFor } from '../i18n/messages';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { actorFor, requireAdmin, requireUser, type SessionUser } from './guards';
import { isSameOrigin } from './request';

export type ActionState = { ok?: boolean; message?: string; error?: string; fields?: Record<string, string> } | undefined;

/** The `actions` catalogue in the signed-in person's language: what an action answers. */
export type ActionWords = ReturnType<typeof translatorFor<'actions'>>;


/**
 * Wraps a server action: checks the origin and the role, parses the form with zod,
 * and turns failures into a state the form shows. Authorization lives here, not in the proxy.
 * As the route handlers do, only Mutu's own refusals reach the person, in their words; any
 * other failure is logged and told as such (its message may name paths or servers).
 */
export function formAction<S extends z.ZodType>(
  /** the form's schema; a function of the words (or of the language) when its messages are ours to say in the reader's language */
  schema: S | ((t: ActionWords, locale: Locale) => S),
  run: (input: z.infer<S>, ctx: { user: SessionUser; actor: Actor; locale: Locale; t: ActionWords }) => Promise<ActionState>,
  opts: { role: 'admin' | 'any' } = { role: 'admin' },
) {
  return async (_prev: ActionState, form: FormData): Promise<ActionState> => {
    const requested = await getLocale();
    const locale: Locale = isLocale(requested) ? requested : 'en';
    const t = translatorFor(locale, 'serverErrors');
    const words = translatorFor(locale, 'actions');
    if (!isSameOrigin(await headers())) return { error: t('notFromPage') };
    const user = opts.role === 'admin' ? await requireAdmin() : await requireUser();
    const parsed = (typeof schema === 'function' ? schema(words, locale) : schema).safeParse(Object.fromEntries(form), { error: ZOD_WORDS[locale] });
    if (!parsed.success) {
      return {
        error: t('invalidValues'),
        fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])),
      };
    }
    try {
      return await run(parsed.data, { user, actor: await actorFor(user), locale, t: words });
    } catch (err) {
      unstable_rethrow(err); // redirect(), notFound(), forbidden(): Next's own way out of an action
      if (err instanceof MutuError) {
        const { message, fields } = localizedError(err, locale);
        return { error: message, ...(fields ? { fields } : {}) };
      }
      console.error('[server action] unexpected failure:', err);
      return { error: t('unexpected') };
    }
  };
}
