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
