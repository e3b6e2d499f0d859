import { describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';
import fr from '@/messages/fr.json';

type Tree = { [key: string]: string | Tree };

/** "account.forgot.title" -> its message, for every leaf of a catalogue. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The values a message takes: "{host}", "{n, plural, ...}", and those inside plural and select branches. */
function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '{') continue;
      let depth = 1;
      let j = i + 1;
      for (; j < text.length && depth > 0; j++) depth += text[j] === '{' ? 1 : text[j] === '}' ? -1 : 0;
      const inner = text.slice(i + 1, j - 1);
      const [name = '', type, ...rest] = inner.split(',');
      found.add(name.trim());
      // A plural or select: "key {branch} key {branch}"; the keys are not values, the branches may hold some.
      if (type) for (const branch of rest.join(',').matchAll(/\{((?:[^{}]|\{[^{}]*\})*)\}/g)) walk(branch[1] ?? '');
      i = j - 1;
    }
  };
  walk(message);
  return [...found].sort();
}

/** The rich-text tags a message wraps words in: "<link>...</link>". */
const tags = (message: string) => [...new Set([...message.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]))].sort();

const catalogues = { en: flatten(en), fr: flatten(fr) };

describe('translation catalogues', () => {
  it('have the same keys in English and in French', () => {
    const enKeys = [...catalogues.en.keys()];
    const frKeys = [...catalogues.fr.keys()];
    expect(enKeys.filter((k) => !catalogues.fr.has(k)), 'keys missing in French').toEqual([]);
    expect(frKeys.filter((k) => !catalogues.en.has(k)), 'keys missing in English').toEqual([]);
  });

  it('take the same values in both languages', () => {
    const shape = (m: string) => `${placeholders(m).join()}|${tags(m).join()}`;
    const differ = [...catalogues.en].filter(([k, m]) => catalogues.fr.has(k) && shape(m) !== shape(catalogues.fr.get(k)!));
    expect(differ.map(([k]) => k)).toEqual([]);
  });

  it('are valid ICU messages with no message left empty', () => {
    for (const [locale, messages] of Object.entries(catalogues) as ['en' | 'fr', Map<string, string>][]) {
      const failures: string[] = [];
      const t = createTranslator({ locale, messages: locale === 'en' ? en : fr, onError: (e) => failures.push(e.message) });
      for (const [key, message] of messages) {
        expect(message.trim(), `${locale} ${key}`).not.toBe('');
        const values = Object.fromEntries([...placeholders(message).map((p) => [p, 1]), ...tags(message).map((tag) => [tag, (chunks: string) => chunks])]);
        (t as unknown as { markup: (k: string, v: object) => string }).markup(key, values);
      }
      expect(failures, locale).toEqual([]);
    }
  });

  it('write French with its typography: a non-breaking space before : ; ? ! and none plain', () => {
    const plain = [...catalogues.fr].filter(([, m]) => / [:;?!](\s|$)/.test(m) || /« | »/.test(m));
    expect(plain.map(([k]) => k)).toEqual([]);
  });
});
