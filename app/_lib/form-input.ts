import * as z from 'zod';

/** A checkbox as an HTML form sends it: "on" when ticked, absent otherwise. */
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/**
 * HTML forms send "" for a field left empty. Dropping those first lets the domain schemas'
 * optional fields and defaults apply, as they do for the CLI.
 */
export function withoutEmpty<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (value) =>
      value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '')) : value,
    schema,
  );
}
