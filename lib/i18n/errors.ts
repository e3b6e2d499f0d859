/**
 * Refusals people read on a page (a wrong password, a dead link, a bad activation code, a
 * platform still in use, a host that is not one): built from the `serverErrors` and
 * `serviceErrors` catalogues, in English for the command line and the logs, and said again
 * in the reader's language where a page or route answers (localizedError).
 */
import { MutuError, wordsOf, type Translatable, type Translation, type TranslationValue } from '../domain/errors';
import { waitFor } from '../domain/limits';
import type { Locale } from '../domain/locale';
import { catalogueTranslator, type Messages } from './messages';

/** A key of `serverErrors` (the pages' own refusals). */
export type ServerErrorKey = keyof Messages['serverErrors'];
/** A key of `serviceErrors` (the services' refusals, shared with the command line), named with its section. */
export type ServiceErrorKey = `serviceErrors.${keyof Messages['serviceErrors'] & string}`;
export type ErrorKey = ServerErrorKey | ServiceErrorKey;
type Values = Record<string, TranslationValue>;

/** An error whose message is the catalogue's English words for `key`, remembering the key to say it again. */
export function translatedError<E extends Translatable>(make: (message: string) => E, key: ErrorKey, values: Values = {}): E {
  const err = make(say('en', key, values));
  err.translation = { key: catalogueKey(key), values };
  return err;
}

/**
 * The same refusal as another error type (a HostError told as a SiteError, a ServerError
 * wrapping a bad URL): its words and, if it came from the catalogue, its key go along.
 */
export function rewordedError<E extends Translatable>(cause: unknown, make: (message: string) => E): E {
  const err = make(cause instanceof Error ? cause.message : String(cause));
  const translation = cause instanceof Error ? (cause as Translatable).translation : undefined;
  if (translation) err.translation = translation;
  return err;
}

/** A key with its section, as a translation keeps it: a page's `useTranslations()` words it as it is. */
const catalogueKey = (key: string) => (key.startsWith('serviceErrors.') || key.startsWith('serverErrors.') ? key : `serverErrors.${key}`);

/**
 * Catalogue words to say later, in whichever language: the reason inside a refusal, the why of
 * an engine refusal. Given as a value to translatedError or to another phrase.
 */
export const phrase = (key: ErrorKey, values: Values = {}): Translation => ({ key: catalogueKey(key), values });

/** An error saying a phrase made earlier (a reason a check returned), in English, remembering it to say it again. */
export const phrasedError = <E extends Translatable>(make: (message: string) => E, words: Translation): E => translatedError(make, words.key as ErrorKey, words.values);

/** What a catalogue key says in a language; `serviceErrors.` keys name their section, bare ones are `serverErrors`. */
export function say(locale: Locale, key: ErrorKey | string, values: Values = {}): string {
  return wordsOf(catalogueTranslator(locale), { key: catalogueKey(key), values });
}

/** Words a phrase or an error carries, in a language (English: the command line's and the logs'). */
export const tell = (locale: Locale, words: Translation): string => say(locale, words.key, words.values);

/**
 * Why something failed, as a value of a translated line: the failure's catalogue words when it
 * has them (Mutu's own refusal, said in the reader's language), else its text as it is (a
 * tool's own output stays as the tool said it).
 */
export const reasonOf = (err: unknown): TranslationValue => (err instanceof Error ? (err as Translatable).translation ?? err.message : String(err));

/** An error's message and fields in the reader's language, when it came from the catalogue; as it is otherwise. */
export function localizedError(err: Translatable, locale: Locale): { message: string; fields?: Record<string, string> } {
  const own = err instanceof MutuError ? err.fields : undefined;
  if (!err.translation) return { message: err.message, fields: own };
  const message = say(locale, err.translation.key, err.translation.values);
  // A field that repeats the whole message (the host outside a code's pattern) is said again too.
  const fields = own && Object.fromEntries(Object.entries(own).map(([k, v]) => [k, v === err.message ? message : v]));
  return { message, fields };
}

/** "Too many attempts from your address; try again in 3 minutes." */
export function tooManyAttemptsError<E extends MutuError>(retryAfterMs: number, make: (message: string) => E): E {
  const wait = waitFor(retryAfterMs);
  return 'hours' in wait ? translatedError(make, 'tooManyHours', { n: wait.hours }) : translatedError(make, 'tooManyMinutes', { n: wait.minutes });
}
