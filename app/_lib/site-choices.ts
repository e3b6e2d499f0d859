import { getLocale, getTranslations } from 'next-intl/server';
import type { Translation } from '@/lib/domain/errors';
import { tell } from '@/lib/i18n/errors';
import { localeOrDefault } from '@/lib/i18n/messages';
import { engineRefusal, serverForProfile } from '@/lib/domain/engines';
import { engineLabel } from '@/lib/domain/server';

/** The words a choice's label adds, in the reader's language (the `actions.choices` catalogue). */
export interface ChoiceWords {
  default: string;
  pastEol: string;
  /** catalogue words (why an application cannot use a server) in the reader's language */
  say: (words: Translation) => string;
}

export async function choiceWords(): Promise<ChoiceWords> {
  const [t, locale] = await Promise.all([getTranslations('actions.choices'), getLocale()]);
  return { default: t('default'), pastEol: t('pastEol'), say: (words) => tell(localeOrDefault(locale), words) };
}

type PlatformRow = { name: string; profile: string; version: string | null; isDefault?: boolean; pastEol?: boolean };

/** A platform as a form's choice: "spip-4.3 (spip 4.3.2) — default", "spip-4.1 (spip 4.1.15) — past its end of life". */
export const platformChoice = (p: PlatformRow, words: ChoiceWords) => ({
  name: p.name,
  label: `${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''})${p.isDefault ? ` — ${words.default}` : ''}${p.pastEol ? ` — ${words.pastEol}` : ''}`,
});

/** A database server as a form's choice: "maria1 (MariaDB/MySQL) — default". */
export const serverChoice = (s: { name: string; engine: string; isDefault?: boolean }, words: ChoiceWords) => ({
  name: s.name,
  engine: s.engine,
  label: `${s.name} (${engineLabel(s.engine)})${s.isDefault ? ` — ${words.default}` : ''}`,
});

type ServerRow = { name: string; engine: string; isDefault: boolean };

/**
 * A platform as the new-site form's choice, with what its application makes of each server:
 * the ones it cannot use and why (offered, but not selectable), and the one a site of it gets
 * when none is named (lib/domain/engines.ts, the rule the request applies).
 */
export const platformWithServers = (p: PlatformRow, servers: ServerRow[], words: ChoiceWords) => ({
  ...platformChoice(p, words),
  refused: Object.fromEntries(servers.flatMap((s) => {
    const refusal = engineRefusal(p.profile, s.engine);
    return refusal ? [[s.name, words.say(refusal.words.reason)]] : [];
  })) as Record<string, string>,
  server: serverForProfile(p.profile, servers)?.name ?? '',
});
