/**
 * A job's stored words in the reader's language: its step names ("switch platform", "undo
 * folders"), the lines the worker and the steps write to its log, its progress text and its
 * error. The registry keeps them in English; a name or line the catalogue does not know (a
 * tool's output) is shown as it is. Pure: given a translator of the whole catalogue (a page's
 * useTranslations(), or catalogueTranslator in a test) and whether it has a key.
 */
import { isDateName, isNumberName, isSizeName, parseWorkerLine, type WorkerLineValues } from '../domain/job-log-lines';
import { wordsOf, type Translation, type TranslationValue } from '../domain/errors';
import { formatBytes, formatDate, formatDateTime, parseBytes } from '../domain/format';
import { DEFAULT_LOCALE, type Locale } from '../domain/locale';
import type { JobErrorWords } from '../jobs/job-error';

/** The shape of catalogueTranslator (lib/i18n/messages.ts): a page's useTranslations() fits it too. */
export type WholeTranslator = (key: string, values: Record<string, string | number>) => string;

/** Values that are themselves a line of the table ("kept {what}", a site's health {detail}): worded the same way. */
const SUB_LINES = new Set(['what', 'detail']);
/** Values listing phrases of the table ("the site a.org, the folder /x (not registered) and 2 more"): each worded. */
const PHRASE_LISTS = new Set(['others', 'places', 'skipped']);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** A size or a date the log keeps in English, in the reader's units and order; anything else as it is. */
function localValue(name: string, value: string, locale: Locale): string {
  if (isSizeName(name)) {
    const bytes = parseBytes(value);
    return bytes === null ? value : formatBytes(bytes, locale);
  }
  if (isDateName(name)) return DAY.test(value) ? formatDate(value, locale) : INSTANT.test(value) ? formatDateTime(value, locale) : value;
  return value;
}

/**
 * `quoted`: the refusals the job's error carries words for, so a line quoting one ("failed: …")
 * says it in the reader's language too. `locale`: the reader's, for the sizes and dates inside lines.
 */
export function jobWords(t: WholeTranslator, has: (key: string) => boolean, quoted: JobErrorWords['quoted'] = [], locale: Locale = DEFAULT_LOCALE) {
  const name = (step: string) => (has(`jobSteps.names.${step}`) ? t(`jobSteps.names.${step}`, {}) : step);
  const step = (stored: string) => (stored.startsWith('undo ') ? t('jobSteps.undo', { step: name(stored.slice('undo '.length)) }) : name(stored));
  const words = (w: Translation) => wordsOf(t, w);
  const reason = (text: string) => {
    const known = quoted.find((q) => q.text === text);
    return known ? words(known.words) : text;
  };
  const said = (known: { line: string; values: WorkerLineValues }): string => {
    const values: Record<string, string | number> = { ...known.values };
    for (const [k, v] of Object.entries(known.values)) {
      if (isNumberName(k)) values[k] = Number(v);
      else if (SUB_LINES.has(k)) values[k] = line(v);
      else if (PHRASE_LISTS.has(k)) values[k] = phrases(v);
      else values[k] = localValue(k, v, locale);
    }
    if (known.values.step !== undefined) values.step = name(known.values.step);
    if (known.values.reason !== undefined) values.reason = reason(known.values.reason);
    return t(`jobSteps.lines.${known.line}`, values);
  };
  /** "a, b and 3 more": each phrase worded, the count said the reader's way. */
  const phrases = (list: string): string => {
    const more = parseWorkerLine(list);
    if (more?.line === 'phrasesMore') return t('jobSteps.lines.phrasesMore', { list: phrases(more.values.list ?? ''), count: Number(more.values.count) });
    return list.split(', ').map(line).join(', ');
  };
  const line = (message: string): string => {
    const known = parseWorkerLine(message);
    if (!known) {
      // A site's line inside a job over many ("a.example.org: asking … for a certificate")
      const site = /^([^\s:]+): ([\s\S]+)$/.exec(message);
      return site && parseWorkerLine(site[2]!) ? `${site[1]}: ${line(site[2]!)}` : message;
    }
    return said(known);
  };
  /** A job's error: its words when it has them, else its English. */
  const error = (text: string, errorWords?: JobErrorWords | null) => (errorWords ? words(errorWords.words) : text);
  /** A job's progress text ("12 of 40 sites"), worded as a log line is. */
  const progress = line;
  return { step, line, error, progress };
}

/**
 * A line of the table as catalogue words (a site's health detail inside a job's error), to be
 * said in whichever language; any other text as it is. Its numbers and inner lines are read
 * as a page reads them.
 */
export function lineWords(message: string): TranslationValue {
  const known = parseWorkerLine(message);
  if (!known) return message;
  const values: Record<string, TranslationValue> = {};
  for (const [k, v] of Object.entries(known.values)) values[k] = isNumberName(k) ? Number(v) : SUB_LINES.has(k) ? lineWords(v) : v;
  return { key: `jobSteps.lines.${known.line}`, values };
}
