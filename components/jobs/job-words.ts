import { useLocale, useTranslations } from 'next-intl';
import { jobWords, type WholeTranslator } from '@/lib/i18n/job-words';
import type { JobErrorWords } from '@/lib/jobs/job-error';

/**
 * A job's stored words in the reader's language (lib/i18n/job-words.ts): its step names, log
 * lines, progress and error. `quoted`: the refusals the job's error carries words for, so a
 * line quoting one ("failed: …") says it in the reader's language too.
 */
export function useJobWords(quoted: JobErrorWords['quoted'] = []) {
  const all = useTranslations();
  const locale = useLocale();
  return jobWords(all as unknown as WholeTranslator, (key) => all.has(key as Parameters<typeof all.has>[0]), quoted, locale);
}
