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

export function translatorFor<N extends keyof Messages>(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: CATALOGUES[locale], namespace, timeZone: 'UTC' });
}

/** A translator of the whole catalogue, keys named with their section ("serviceErrors.siteUnknown"). */
export function catalogueTranslator(locale: Locale): (key: string, values: Record<string, string | number>) => string {
  return createTranslator({ locale, messages: CATALOGUES[locale], timeZone: 'UTC' }) as unknown as (key: string, values: Record<string, string | number>) => string;
}
