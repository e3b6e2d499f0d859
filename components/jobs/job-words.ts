import { useTranslations } from 'next-intl';
import { parseWorkerLine } from '@/lib/domain/job-log-lines';

/**
 * A job's stored words in the reader's language: its step names ("switch platform", "undo
 * folders") and the lines the worker writes to its log. The registry keeps them in English;
 * a name or line the catalogue does not know (a step's own log line) is shown as it is.
 */
export function useJobWords() {
  const t = useTranslations('jobSteps');
  const has = t.has as (key: string) => boolean;
  const say = t as unknown as (key: string, values?: Record<string, string>) => string;
  const name = (step: string) => (has(`names.${step}`) ? say(`names.${step}`) : step);
  const step = (stored: string) => (stored.startsWith('undo ') ? say('undo', { step: name(stored.slice('undo '.length)) }) : name(stored));
  const line = (message: string) => {
    const known = parseWorkerLine(message);
    if (!known) return message;
    const values = known.values.step === undefined ? known.values : { ...known.values, step: name(known.values.step) };
    return say(`lines.${known.line}`, values);
  };
  return { step, line };
}
