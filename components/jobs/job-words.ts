import { useLocale } from 'next-intl';
import { jobWords } from '@/lib/i18n/job-words';
import { useWholeCatalogue } from '@/components/i18n/whole-catalogue';
import type { JobErrorWords } from '@/lib/jobs/job-error';

/**
 * A job's stored words in the reader's language (lib/i18n/job-words.ts): its step names, log
 * lines, progress and error. `quoted`: the refusals the job's error carries words for, so a
 * line quoting one ("failed: …") says it in the reader's language too.
 */
export function useJobWords(quoted: JobErrorWords['quoted'] = []) {
  const { t, has } = useWholeCatalogue();
  const locale = useLocale();
  return jobWords(t, has, quoted, locale);
}
