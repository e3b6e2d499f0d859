/**
 * Refusals people read on a page (a wrong password, a dead link, a bad activation code):
 * built from the `serverErrors` catalogue, in English for the command line and the logs, and
 * said again in the reader's language where a page or route answers (localizedMessage).
 */
import { type MutuError } from '../domain/errors';
import { waitFor } from '../domain/limits';
import type { Locale } from '../domain/locale';
import { translatorFor, type Messages } from './messages';

export type ErrorKey = keyof Messages['serverErrors'];
type Values = Record<string, string | number>;

export function translatedError<E extends MutuError>(
  make: (message: string) => E,
  key: ErrorKey,
  values: Values = {},
): E {
  const err = make(say('en', key, values));
  err.translation = { key, values };
  return err;
}

function say(locale: Locale, key: ErrorKey, values: Values): string {
  return (translatorFor(locale, 'serverErrors') as unknown as (k: string, v: Values) => string)(key, values);
}

/** An error's message and fields in the reader's language, when it came from the catalogue; as it is otherwise. */
export function localizedError(err: MutuError, locale: Locale): { message: string; fields?: Record<string, string> } {
  if (!err.translation) return { message: err.message, fields: err.fields };
  const message = say(locale, err.translation.key as ErrorKey, err.translation.values);
  // A field that repeats the whole message (the host outside a code's pattern) is said again too.
  const fields = err.fields && Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v === err.message ? message : v]));
  return { message, fields };
}

/** "Too many attempts from your address; try again in 3 minutes." */
export function tooManyAttemptsError<E extends MutuError>(retryAfterMs: number, make: (message: string) => E): E {
  const wait = waitFor(retryAfterMs);
  return 'hours' in wait ? translatedError(make, 'tooManyHours', { n: wait.hours }) : translatedError(make, 'tooManyMinutes', { n: wait.minutes });
}
