/*
 * The JSON text the command line prints (indented by two spaces, a bigint as a number), apart
 * from the printing: the sites list writes a PostgreSQL registry's pages with it, and its SQLite
 * rows as the same text without building them (lib/sites/list-json.ts).
 */

const bigintAsNumber = (_k: string, v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/**
 * The printed text of `value`. Without the replacer first: called for every value, it costs a
 * third of the time of 25,000 listed sites, which hold no bigint (other lists read through Prisma
 * may: JSON.stringify refuses them, and the replacer serves).
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch (err) {
    if (err instanceof TypeError && /BigInt/.test(err.message)) return JSON.stringify(value, bigintAsNumber, 2);
    throw err;
  }
}

/**
 * The text of `items` as elements of a printed array, without its brackets: each indented as
 * inside the array, joined by ",\n". Empty for no item.
 */
export const jsonElementsText = (items: unknown[]): string => (items.length ? jsonText(items).slice(2, -2) : '');
