/**
 * A refusal the person can act on (unknown name, conflict, bad value; 502: a server part such
 * as nginx refused the change; 503: busy, try again): shown as is, with no stack, by the CLI
 * (exit 1) and the route handlers (its HTTP status).
 */
/** The catalogue message an error's words came from (lib/i18n/errors.ts), to say it again in another language. */
export interface Translation {
  key: string;
  values: Record<string, string | number>;
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
  constructor(message: string, readonly reason: string) {
    super(message, 422);
  }
}
