import { useTranslations } from 'next-intl';
import { isNumberName, parseWorkerLine } from '@/lib/domain/job-log-lines';
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
  const say = t as unknown as (key: string, values?: Record<string, string | number>) => string;
  const name = (step: string) => (has(`names.${step}`) ? say(`names.${step}`) : step);
  const step = (stored: string) => (stored.startsWith('undo ') ? say('undo', { step: name(stored.slice('undo '.length)) }) : name(stored));
  const words = (w: Translation) => wordsOf(all, w);
  const reason = (text: string) => {
    const known = quoted.find((q) => q.text === text);
    return known ? words(known.words) : text;
  };
  const line = (message: string): string => {
    const known = parseWorkerLine(message);
    if (!known) {
      // A site's line inside a job over many ("a.example.org: asking … for a certificate")
      const site = /^([^\s:]+): ([\s\S]+)$/.exec(message);
      return site && parseWorkerLine(site[2]!) ? `${site[1]}: ${line(site[2]!)}` : message;
    }
    const values: Record<string, string | number> = { ...known.values };
    for (const [k, v] of Object.entries(known.values)) if (isNumberName(k)) values[k] = Number(v);
    if (known.values.step !== undefined) values.step = name(known.values.step);
    if (known.values.reason !== undefined) values.reason = reason(known.values.reason);
    return say(`lines.${known.line}`, values);
  };
  /** A job's error: its words when it has them, else its English. */
  const error = (text: string, errorWords?: JobErrorWords | null) => (errorWords ? words(errorWords.words) : text);
  /** A job's progress text ("12 of 40 sites"), worded as a log line is. */
  const progress = line;
  return { step, line, error, progress };
}
