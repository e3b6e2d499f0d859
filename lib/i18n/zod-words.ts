import * as z from 'zod';
import type { Locale } from '../domain/locale';

/** zod's own words for a value it refuses without a message of ours ("Too small: ..."), in French too. */
export const ZOD_WORDS: Record<Locale, z.core.$ZodErrorMap | undefined> = { en: undefined, fr: z.locales.fr().localeError };
