import { useMessages, useTranslations } from 'next-intl';
import { JOB_WORD_SECTIONS } from '@/lib/i18n/client-messages';
import type { WholeTranslator } from '@/lib/i18n/job-words';

/**
 * A translator of keys known only when the page runs (a job's stored words, a refusal's key). In
 * the browser the catalogue holds those sections only inside <WithJobWords>: rendered outside it,
 * this fails at once rather than show raw keys. Server components have the whole catalogue.
 */
export function useWholeCatalogue() {
  const all = useTranslations();
  const messages = useMessages();
  const missing = JOB_WORD_SECTIONS.filter((s) => !(s in messages));
  if (missing.length) throw new Error(`the page's messages lack ${missing.join(', ')}: wrap this component in <WithJobWords> (components/i18n/with-job-words.tsx)`);
  return { t: all as unknown as WholeTranslator, has: (key: string) => all.has(key as Parameters<typeof all.has>[0]) };
}
