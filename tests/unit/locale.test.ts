import { describe, expect, it } from 'vitest';
import { chooseLocale, localeFromAcceptLanguage } from '@/lib/domain/locale';

describe('choosing the language', () => {
  it('reads the best of ours from Accept-Language, by quality then order, a region counting for its language', () => {
    expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('fr');
    expect(localeFromAcceptLanguage('fr-CA')).toBe('fr');
    expect(localeFromAcceptLanguage('de-DE, en;q=0.5, fr;q=0.8')).toBe('fr');
    expect(localeFromAcceptLanguage('en-GB,fr;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('de, es')).toBeUndefined();
    expect(localeFromAcceptLanguage('fr;q=0, en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage('')).toBeUndefined();
  });

  it('puts the user’s setting first, then the login page’s switch, then the browser, then English', () => {
    expect(chooseLocale({ user: 'en', cookie: 'fr', acceptLanguage: 'fr' })).toBe('en');
    expect(chooseLocale({ user: null, cookie: 'fr', acceptLanguage: 'en' })).toBe('fr');
    expect(chooseLocale({ user: null, cookie: 'xx', acceptLanguage: 'fr-BE' })).toBe('fr');
    expect(chooseLocale({ user: 'klingon', acceptLanguage: 'de' })).toBe('en');
    expect(chooseLocale({})).toBe('en');
  });
});
