/**
 * A refusal the person can act on (unknown name, conflict, bad value; 502: a server part such
 * as nginx refused the change; 503: busy, try again): shown as is, with no stack, by the CLI
 * (exit 1) and the route handlers (its HTTP status).
 */
/**
 * The catalogue message an error's words came from (lib/i18n/errors.ts), to say it again in
 * another language. A value may itself be catalogue words (the reason inside a refusal), said
 * in the same language.
 */
export interface Translation {
  key: string;
  values: Record<string, TranslationValue>;
}
export type TranslationValue = string | number | Translation;

const isTranslation = (v: unknown): v is Translation => typeof v === 'object' && v !== null && 'key' in v && 'values' in v;

/** Says a translation with a translator of the whole catalogue (a page's or a mail's), its inner words first. */
export function wordsOf(t: (key: string, values: Record<string, string | number>) => string, words: Translation): string {
  const values = Object.fromEntries(Object.entries(words.values).map(([k, v]) => [k, isTranslation(v) ? wordsOf(t, v) : v]));
  return t(words.key, values);
}

/** An error that may carry its catalogue message: pages and routes say it in the reader's language. */
export type Translatable = Error & { translation?: Translation };

export class MutuError extends Error {
  translation?: Translation;

  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 422 | 429 | 502 | 503 = 400,
    /** the form fields it is about, with what to tell beside each */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A site's application cannot use a server's engine (lib/domain/engines.ts): refused before
 * anything is made. `reason` is the why alone ("SPIP cannot use PostgreSQL (...)"), for
 * whoever cannot act on the advice (a visitor); a form shows the message under its server.
 */
export class EngineError extends MutuError {
  constructor(
    message: string,
    readonly reason: string,
    /** the reason as catalogue words, to say it in the reader's language */
    readonly reasonWords?: Translation,
  ) {
    super(message, 422);
  }
}
