/**
 * A platform's commands (upgrade, install, cache purge, post-import): each typed by an admin
 * as one line, kept as an argument array (JSON) and run without a shell. Quoting follows the shell's simple rules ('single',
 * "double", backslash) so a line copied from a terminal means the same thing, but nothing
 * is expanded: no variables, globs, pipes or redirections. Placeholders are replaced
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

export class TemplateError extends Error {}

const SHELL_ONLY = /^(\||\|\||&&|;|>|>>|<|&)$/;

/** Splits a command line into arguments; throws TemplateError saying what is wrong. */
export function parseCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inArg = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new TemplateError('the command ends with a lone backslash');
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) throw new TemplateError(`the command has an unclosed ${quote === '"' ? 'double' : 'single'} quote`);
  if (inArg) args.push(current);
  return args;
}

/**
 * Checks a parsed template: a program to run, known placeholders only, and none of the
 * shell's operators (they would reach the program as plain arguments, which is never
 * what was meant).
 */
export function validateTemplate(args: string[]): string[] {
  if (args.length === 0 || !args[0]) throw new TemplateError('the command is empty: give the program to run and its arguments');
  for (const arg of args) {
    for (const m of arg.matchAll(/\{([^{}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
        throw new TemplateError(`unknown placeholder {${m[1]}}: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
      }
    }
    if (SHELL_ONLY.test(arg)) {
      throw new TemplateError(`"${arg}" is a shell operator, but the command runs without a shell: put the pipeline in a script and run the script`);
    }
  }
  if (/^\{(host|url)\}/.test(args[0])) throw new TemplateError('the program to run cannot come from the site host');
  return args;
}

/** Parses and validates an admin's command line; the result is what the registry keeps. */
export function parseCommandTemplate(line: string): string[] {
  return validateTemplate(parseCommandLine(line.trim()));
}

/** The stored JSON back to an argument array (validated again: the registry could be edited by hand). */
export function templateFromJson(json: string | null): string[] | null {
  if (!json) return null;
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new TemplateError('a stored command is not an argument list');
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
