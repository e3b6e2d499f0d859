/**
 * Host patterns as admins type them: `*` is any run of characters (dots included),
 * `?` exactly one character. Everything else is literal.
 */
export function isPattern(text: string): boolean {
  return /[*?]/.test(text);
}

export function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function matchesPattern(host: string, pattern: string): boolean {
  return patternToRegExp(pattern).test(host);
}

/** The same pattern as an SQL LIKE with `\` as escape character, for the database to filter. */
export function patternToLike(pattern: string): string {
  return pattern
    .toLowerCase()
    .replace(/[\\%_]/g, '\\$&')
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}
