import type { Page } from 'playwright-core';
import { LOCALES, type Locale } from '@/lib/domain/locale';
import { messagesFor } from '@/lib/i18n/messages';

type Tree = { [key: string]: string | Tree };

const sentencesOf = (tree: Tree): string[] => Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : sentencesOf(v)));

/**
 * The other languages' sentences that `locale` says otherwise: on a page in `locale`, each is
 * words left untranslated. Whole sentences only (two words or more, no placeholder nor markup,
 * which a page never shows as written), and none found inside `locale`'s own words ("Exports",
 * "Menu" read the same in both).
 */
function foreignSentences(locale: Locale): string[] {
  const own = sentencesOf(messagesFor(locale)).join('\n');
  const others = LOCALES.filter((l) => l !== locale).flatMap((l) => sentencesOf(messagesFor(l)));
  return [...new Set(others.filter((s) => !/[{<]/.test(s) && /\S\s+\S/.test(s) && s.length >= 8 && !own.includes(s)))];
}

const FOREIGN = Object.fromEntries(LOCALES.map((l) => [l, foreignSentences(l)])) as Record<Locale, string[]>;

/**
 * The sentences of another language that the page's main part shows, though it is in `locale`.
 * A job's log is left out: logs are in English for everyone (README, "French and English").
 */
export async function foreignWordsOn(page: Page, locale: Locale): Promise<string[]> {
  const text = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    for (const log of copy.querySelectorAll('[role="log"]')) log.remove();
    return copy.textContent ?? '';
  });
  const flat = text.replace(/\s+/g, ' ');
  return FOREIGN[locale].filter((s) => flat.includes(s.replace(/\s+/g, ' ')));
}
