/**
 * The catalogues, one per language (messages/<locale>.json), and a translator for code that
 * runs outside a page: mails, jobs, the command line. Pages use next-intl's own hooks.
 */
import { createTranslator } from 'next-intl';
import en from '../../messages/en.json';
import fr from '../../messages/fr.json';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../domain/locale';

export type Messages = typeof en;

const CATALOGUES: Record<Locale, Messages> = { en, fr };

export const messagesFor = (locale: Locale): Messages => CATALOGUES[locale];

/** A user's saved language, or English for anyone without one (a mail to an address, a job). */
export const localeOrDefault = (value: string | null | undefined): Locale => (isLocale(value) ? value : DEFAULT_LOCALE);

/**
 * Translators made once per language and section: each keeps the messages it compiled, where a
 * translator made per mail or line compiled its message again at every call (a new site's mail
 * to the admins, each job's words).
 */
const translators = new Map<string, unknown>();
function kept<T>(key: string, make: () => T): T {
  let t = translators.get(key) as T | undefined;
  if (!t) translators.set(key, (t = make()));
  return t;
}

export function translatorFor<N extends keyof Messages>(locale: Locale, namespace: N) {
  return kept(`${locale}:${namespace}`, () => createTranslator({ locale, messages: CATALOGUES[locale], namespace, timeZone: 'UTC' }));
}

/** A translator of the whole catalogue, keys named with their section ("serviceErrors.siteUnknown"). */
export function catalogueTranslator(locale: Locale): (key: string, values: Record<string, string | number>) => string {
  return kept(`${locale}:`, () => createTranslator({ locale, messages: CATALOGUES[locale], timeZone: 'UTC' }) as unknown as (key: string, values: Record<string, string | number>) => string);
}
