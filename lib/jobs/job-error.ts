/**
 * A job's final error in two forms: the English text Job.error keeps (the command line, the
 * logs, the audit trail), and, when Mutu's own refusal is in it, its catalogue words, kept in
 * the job's state beside it so a page or a mail says it in the reader's language. A tool's own
 * output inside it (nginx, mysqldump, a PHP error) stays as the tool said it.
 */
import * as z from 'zod';
import type { Translation, TranslationValue } from '../domain/errors';
import { messagesFor } from '../i18n/messages';
import { phrase, reasonOf, say } from '../i18n/errors';

/** Key of a job's state holding its error's words (written once, when the job ends badly). */
export const ERROR_WORDS = '_errorWords';

export interface JobErrorWords {
  /** the whole error */
  words: Translation;
  /** the English of each refusal inside it, with its words: a log line quoting one ("failed: …") is worded again */
  quoted: { text: string; words: Translation }[];
}

/** Why something failed: its English text, and its catalogue words when it is Mutu's own refusal. */
export interface Cause {
  text: string;
  words: TranslationValue;
  /** refusals the job's log quotes on the way to this one (each site's reason in a job over many) */
  quoted?: JobErrorWords['quoted'];
}

const isWords = (v: TranslationValue): v is Translation => typeof v === 'object';

/** An error that ends a job over many sites, carrying the refusals its log quoted for each. */
type Quoting = Error & { quoted?: JobErrorWords['quoted'] };

/**
 * The error a job ends with, remembering the refusals its log lines quoted ("a.example.org:
 * renewal failed …: <reason>"): their words go with the job's, so its page says those lines in
 * the reader's language too. Causes that are a tool's own words add nothing.
 */
export function quoting<E extends Error>(err: E, causes: { text: string; words?: TranslationValue }[]): E {
  (err as Quoting).quoted = causes.filter((c): c is { text: string; words: Translation } => c.words !== undefined && isWords(c.words)).map(({ text, words }) => ({ text, words }));
  return err;
}

/** What a thrown error tells a job's end: its English, its words, and the refusals it quotes. */
export const causeOf = (err: unknown): Cause => ({
  text: err instanceof Error ? err.message : String(err),
  words: reasonOf(err),
  ...(err instanceof Error && (err as Quoting).quoted?.length ? { quoted: (err as Quoting).quoted } : {}),
});

/** A step's name as catalogue words when the catalogue knows it ("switch platform"), else as it is. */
const stepWords = (step: string): TranslationValue => (step in messagesFor('en').jobSteps.names ? { key: `jobSteps.names.${step}`, values: {} } : step);

/**
 * The error a failed or cancelled job ends with: its cause, and the undo that failed after it
 * if one did. The English is what Job.error always held; words are null when nothing in it
 * came from the catalogue.
 */
export function jobFailure(cause: Cause, undo?: { step: string } & Cause): { text: string; words: JobErrorWords | null } {
  const quoted = [cause, ...(undo ? [undo] : [])].filter((c): c is Cause & { words: Translation } => isWords(c.words)).flatMap(({ text, words, quoted: more = [] }) => [{ text, words }, ...more]);
  if (!undo) return { text: cause.text, words: isWords(cause.words) ? { words: cause.words, quoted } : null };
  const text = say('en', 'serviceErrors.jobUndoFailed', { reason: cause.text, step: undo.step, undoReason: undo.text });
  const words = phrase('serviceErrors.jobUndoFailed', { reason: cause.words, step: stepWords(undo.step), undoReason: undo.words });
  return { text, words: { words, quoted } };
}

/** A job cancelled by someone: said in the reader's language too. */
export const CANCELLED: Cause = { text: say('en', 'serviceErrors.jobCancelled'), words: phrase('serviceErrors.jobCancelled') };

/** Catalogue words as a job's state keeps them (JSON). */
export const translationSchema: z.ZodType<Translation> = z.lazy(() =>
  z.object({ key: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), translationSchema])) }),
);
const errorWords = z.object({ words: translationSchema, quoted: z.array(z.object({ text: z.string(), words: translationSchema })) });

/**
 * The error words a job's state holds, if any: the state as the registry gives it (JSON text,
 * or the object itself); anything unreadable is no words (the English is shown).
 */
export function errorWordsIn(state: unknown): JobErrorWords | null {
  try {
    const obj: unknown = typeof state === 'string' ? JSON.parse(state) : state;
    const read = errorWords.safeParse(obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[ERROR_WORDS] : undefined);
    return read.success ? read.data : null;
  } catch {
    return null;
  }
}
