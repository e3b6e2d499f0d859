import { MutuError } from '../domain/errors';
import { translatedError } from '../i18n/errors';

/** A request about a site that cannot be done as asked; the message says why and what to do. */
export class SiteError extends MutuError {}

export { EngineError } from '../domain/errors';

/**
 * The one answer to a code that is wrong, expired, used up, revoked, for another host, or
 * spent by a concurrent request a moment ago: a visitor learns nothing from which it was.
 */
export const genericCodeError = () => translatedError((m) => new SiteError(m, 422), 'genericCode');
export const GENERIC_CODE_ERROR = genericCodeError().message;
