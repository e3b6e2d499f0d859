import type { createTranslator } from 'next-intl';
import type { Messages } from '@/lib/i18n/messages';
import type { LeftOut } from '@/lib/upgrades/run-plan';

/** The `runs` namespace's translator, as getTranslations (pages) and useTranslations (components) give it. */
export type RunsT = ReturnType<typeof createTranslator<Messages, 'runs'>>;

/**
 * What a run was asked to take: "hosts matching *.example.org", "3 listed hosts". Runs made
 * before the pattern and the count were kept have only their English wording.
 */
export function selectionText(t: RunsT, run: { selection: string; match?: string | null; listed?: number | null }): string {
  if (run.match) return t('matching', { pattern: run.match });
  if (typeof run.listed === 'number') return t('listed', { n: run.listed });
  return run.selection;
}

/** Why a site is left out of a run, in the reader's language when the plan said why in words the catalogue has. */
export function leftOutText(t: RunsT, item: LeftOut): string {
  const why = item.why;
  if (!why) return item.reason;
  return why.values ? t(`why.${why.key}`, why.values) : t(`why.${why.key}`);
}
