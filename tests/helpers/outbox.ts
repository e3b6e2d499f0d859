import fs from 'node:fs';
import path from 'node:path';

/** The mails of an embedded outbox folder (`<dataDir>/outbox/*.eml`), oldest first, quoted-printable decoded. */
export function outboxMails(dir: string): string[] {
  const decode = (m: string) =>
    Buffer.from(m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => decode(fs.readFileSync(path.join(dir, f), 'utf8')));
}
