/** Reads back the `.env`-style connection file Mutu writes (KEY='value', shell single quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    if (value.startsWith("'")) value = value.replace(/^'|'$/g, '').split(`'\\''`).join("'");
    out[m[1]!] = value;
  }
  return out;
}

/** A value in shell single quotes, as `parseEnvFile` reads it back. */
export const envQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The same file with `key` set to `value`: its line replaced (or added), every other line kept. */
export function withEnvValue(text: string, key: string, value: string): string {
  const line = `${key}=${envQuote(value)}`;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith(`${key}=`));
  if (at >= 0) return [...lines.slice(0, at), line, ...lines.slice(at + 1)].join('\n');
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
}
