import { useTranslations } from 'next-intl';
import { parseWorkerLine } from '@/lib/domain/job-log-lines';
import { wordsOf, type Translation } from '@/lib/domain/errors';
import type { JobErrorWords } from '@/lib/jobs/job-error';

/**
 * A job's stored words in the reader's language: its step names ("switch platform", "undo
 * folders"), the lines the worker writes to its log and its error. The registry keeps them in
 * English; a name or line the catalogue does not know (a step's own log line) is shown as it
 * is. `quoted`: the refusals the job's error carries words for, so a line quoting one
 * ("failed: …") says it in the reader's language too.
 */
export function useJobWords(quoted: JobErrorWords['quoted'] = []) {
  const t = useTranslations('jobSteps');
  const all = useTranslations() as unknown as (key: string, values: Record<string, string | number>) => string;
  const has = t.has as (key: string) => boolean;
  const say = t as unknown as (key: string, values?: Record<string, string>) => string;
  const name = (step: string) => (has(`names.${step}`) ? say(`names.${step}`) : step);
  const step = (stored: string) => (stored.startsWith('undo ') ? say('undo', { step: name(stored.slice('undo '.length)) }) : name(stored));
  const words = (w: Translation) => wordsOf(all, w);
  const reason = (text: string) => {
    const known = quoted.find((q) => q.text === text);
    return known ? words(known.words) : text;
  };
  const line = (message: string) => {
    const known = parseWorkerLine(message);
    if (!known) return message;
    const values = { ...known.values };
    if (values.step !== undefined) values.step = name(values.step);
    if (values.reason !== undefined) values.reason = reason(values.reason);
    return say(`lines.${known.line}`, values);
  };
  /** A job's error: its words when it has them, else its English. */
  const error = (text: string, errorWords?: JobErrorWords | null) => (errorWords ? words(errorWords.words) : text);
  return { step, line, error };
}
