/**
 * The interface's languages and how one is chosen: the user's own setting, else the choice
 * made on the login page (a cookie), else the browser's Accept-Language, else English.
 * Pure: the request side (i18n/request.ts) and mails pass in what they know.
 */

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
/** Set by the language switch on the login page; a signed-in user's setting wins over it. */
export const LOCALE_COOKIE = 'mutu-locale';

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** The language's own name, as a switch shows it to someone who reads only that language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/**
 * The best of our languages for an Accept-Language header ("fr-CH, fr;q=0.9, en;q=0.8"):
 * by quality, then by order; a region ("fr-CA") counts for its language.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((r) => r.language).find(isLocale);
}

export function chooseLocale(from: { user?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(from.user)) return from.user;
  if (isLocale(from.cookie)) return from.cookie;
  return localeFromAcceptLanguage(from.acceptLanguage) ?? DEFAULT_LOCALE;
}
