import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_FILE = 'secret.key';

function decode(text: string): Buffer {
  const t = text.trim();
  return /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
}

/**
 * The key that encrypts stored secrets and signs sessions and links. Taken from the
 * environment, else from `<data>/secret.key`, created once with mode 0600.
 */
export function loadSecretKey(
  dataDir: string,
  fromEnv: string | undefined,
): { key: Buffer; source: 'environment' | 'file' } {
  if (fromEnv) return { key: decode(fromEnv), source: 'environment' };
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  if (!fs.existsSync(file)) {
    // Written aside then linked into place: link() fails if another process won the race,
    // and no reader ever sees a half-written key.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const key = decode(fs.readFileSync(file, 'utf8'));
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key; remove it to generate a new one`);
  return { key, source: 'file' };
}
