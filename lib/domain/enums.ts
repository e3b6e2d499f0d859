/**
 * The registry's enums (prisma/schema.prisma) are the types; the lists written in lib/domain are
 * their values for zod, forms and the command line. `allOf<E>()([...])` keeps a list and its enum
 * one set: a value missing, extra or misspelt does not compile, and the list keeps its literal type.
 *   export const ROLES = allOf<Role>()(['admin', 'webmaster']);
 */
export const allOf =
  <E extends string>() =>
  <const L extends readonly E[]>(list: L & ([E] extends [L[number]] ? unknown : { missing: Exclude<E, L[number]> })): L =>
    list;
