import { parse as parseShell } from 'shell-quote';
import type { Translation } from '../domain/errors';
import { translatedError, type ServiceErrorKey } from '../i18n/errors';

/**
 * A platform's commands (upgrade, install, cache purge, post-import): each typed by an admin
 * as one line, kept as an argument array (JSON) and run without a shell. Quoting follows the
 * shell's rules ('single', "double", backslash; split by shell-quote) so a line copied from a
 * terminal means the same thing, but nothing is expanded (no variables, globs) and pipes,
 * redirections and sequences are refused. Placeholders are replaced
 * inside each argument, so a value with spaces or quotes stays one argument.
 */

export const PLACEHOLDERS = [
  'host',
  'site_dir',
  'platform_dir',
  'old_platform_dir',
  /** the site's address, such as http://blog.example.org */
  'url',
  /** the PHP command line of the platform's PHP version (php8.2, else php) */
  'php',
  /** the folder of Mutu's own scripts for platforms (spip-cli.php), readable by the sites' users */
  'mutu_scripts',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/** A command line refused, in the catalogue's words (lib/i18n/errors.ts) so a form says it in the reader's language. */
export class TemplateError extends Error {
  translation?: Translation;
}
const refused = (key: ServiceErrorKey, values: Record<string, string> = {}) => translatedError((m) => new TemplateError(m), key, values);

const SHELL_ONLY = /^(\||\|\||&&|;|;;|>|>>|<|&|\(|\)|<\(|>&|<&|\|&)$/;

/**
 * What shell-quote lets pass silently: an unclosed quote, a lone final backslash (both
 * dropped), and `${NAME}` (read as `$NAME`). Scanned with the shell's quoting rules.
 */
function checkQuoting(line: string): void {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw refused('serviceErrors.templateLoneBackslash');
      i++;
    } else if (c === '"' && quote === '"') quote = null;
    else if ((c === '"' || c === "'") && !quote) quote = c;
    else if (c === '$' && line[i + 1] === '{') throw refused('serviceErrors.templateExpansion', { expr: '${...}' });
  }
  if (quote) throw refused('serviceErrors.templateUnclosedQuote', { quote: quote === '"' ? 'double' : 'single' });
}

/**
 * Splits a command line into arguments with shell-quote; throws TemplateError saying what is
 * wrong. Shell operators, even stuck to a word (`a.php;`), are refused, not passed on as
 * arguments; `$NAME` and globs stay as typed (nothing is expanded).
 */
export function parseCommandLine(line: string): string[] {
  checkQuoting(line);
  return parseShell(line, (name) => `$${name}`).map((part) => {
    if (typeof part === 'string') return part;
    if ('comment' in part) throw refused('serviceErrors.templateComment', { comment: part.comment });
    if (part.op === 'glob') return part.pattern;
    throw refused('serviceErrors.templateOperator', { op: part.op });
  });
}

/**
 * Checks a parsed template: a program to run, known placeholders only, and none of the
 * shell's operators (they would reach the program as plain arguments, which is never
 * what was meant).
 */
export function validateTemplate(args: string[]): string[] {
  if (args.length === 0 || !args[0]) throw refused('serviceErrors.templateEmpty');
  for (const arg of args) {
    for (const m of arg.matchAll(/\{([^{}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
        throw refused('serviceErrors.templatePlaceholder', { placeholder: `{${m[1]}}`, placeholders: PLACEHOLDERS.map((p) => `{${p}}`).join(', ') });
      }
    }
    if (SHELL_ONLY.test(arg)) throw refused('serviceErrors.templateOperator', { op: arg });
  }
  if (/^\{(host|url)\}/.test(args[0])) throw refused('serviceErrors.templateProgramFromHost');
  return args;
}

/** Parses and validates an admin's command line; the result is what the registry keeps. */
export function parseCommandTemplate(line: string): string[] {
  return validateTemplate(parseCommandLine(line.trim()));
}

/** The stored template back to an argument array (validated again: the registry could be edited by hand). */
export function templateFromJson(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw refused('serviceErrors.templateStored');
  return validateTemplate(value);
}

/** Replaces the placeholders in each argument; the argument count never changes. */
export function renderTemplate(args: string[], values: PlaceholderValues): string[] {
  const names = new RegExp(`\\{(${PLACEHOLDERS.join('|')})\\}`, 'g');
  return args.map((arg) => arg.replace(names, (_m, name: Placeholder) => values[name]));
}

const needsQuotes = /[^A-Za-z0-9_@%+=:,./{}-]/;

/** The template shown as one line, quoted so that parsing it again gives the same arguments. */
export function showTemplate(args: string[]): string {
  return args.map((a) => (a === '' ? "''" : needsQuotes.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}
