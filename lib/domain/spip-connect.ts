/**
 * Reads the arguments of `spip_connect_db(...)` from a SPIP `config/connect.php`, so an
 * existing SPIP farm can be adopted. Only literals are understood (single- or double-quoted
 * strings and bare numbers), which is what SPIP's installer and Mutu write.
 */
export interface SpipConnect {
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  type: string;
  prefix: string;
  auth: string;
  charset: string;
}

function readString(text: string, at: number): [string, number] {
  const quote = text[at];
  let out = '';
  let i = at + 1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (quote === "'" && (next === "'" || next === '\\')) {
        out += next;
        i++;
        continue;
      }
      if (quote === '"') {
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$' };
        if (next in map) {
          out += map[next];
          i++;
          continue;
        }
      }
      out += c;
      continue;
    }
    if (c === quote) return [out, i + 1];
    out += c;
  }
  throw new Error('an unterminated string in spip_connect_db(...)');
}

/** The literal arguments of `spip_connect_db(...)`, each with where it stands in the text. */
function connectArgs(php: string): { value: string; start: number; end: number }[] | null {
  const start = php.search(/spip_connect_db\s*\(/);
  if (start < 0) return null;
  let i = php.indexOf('(', start) + 1;
  const args: { value: string; start: number; end: number }[] = [];
  while (i < php.length) {
    while (/[\s,]/.test(php[i] ?? '')) i++;
    const c = php[i];
    if (c === ')') break;
    if (c === "'" || c === '"') {
      const [value, next] = readString(php, i);
      args.push({ value, start: i, end: next });
      i = next;
    } else {
      const m = /^[A-Za-z0-9_.-]*/.exec(php.slice(i))!;
      if (!m[0]) throw new Error(`unexpected "${c}" in spip_connect_db(...): only literal values can be read`);
      args.push({ value: m[0] === 'null' || m[0] === 'NULL' ? '' : m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    }
  }
  return args;
}

export function parseSpipConnect(php: string): SpipConnect | null {
  const args = connectArgs(php)?.map((a) => a.value);
  if (!args) return null;
  const [host = '', port = '', user = '', password = '', database = '', type = '', prefix = '', auth = '', charset = ''] = args;
  return { host, port, user, password, database, type, prefix, auth, charset };
}

/** PHP's single-quoted string literal. */
export const phpQuote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The same `connect.php` with another password: only the fourth argument of
 * `spip_connect_db(...)` changes, every other byte (an adopted site's own lines) is kept.
 */
export function withSpipConnectPassword(php: string, password: string): string {
  const arg = connectArgs(php)?.[3];
  if (!arg) throw new Error('no password argument in spip_connect_db(...) to replace');
  return php.slice(0, arg.start) + phpQuote(password) + php.slice(arg.end);
}
