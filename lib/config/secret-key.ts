import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeFolder, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE, sharedBits } from './private-files';

const KEY_FILE = 'secret.key';

function decode(text: string): Buffer {
  const t = text.trim();
  return /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
}

/** Where the key is kept when the environment does not give it. */
export const secretKeyFile = (dataDir: string) => path.join(dataDir, KEY_FILE);

/**
 * The key that encrypts stored secrets and signs sessions and links. Taken from the
 * environment, else from `<data>/secret.key`, created once with mode 0600 (and the data
 * folder with `dataFolderMode` when it is missing).
 */
export function loadSecretKey(
  dataDir: string,
  fromEnv: string | undefined,
  dataFolderMode = PRIVATE_FOLDER_MODE,
): { key: Buffer; source: 'environment' | 'file' } {
  if (fromEnv) return { key: decode(fromEnv), source: 'environment' };
  const file = secretKeyFile(dataDir);
  makeFolder(dataDir, dataFolderMode);
  if (!fs.existsSync(file)) {
    // Written aside then linked into place: link() fails if another process won the race,
    // and no reader ever sees a half-written key.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString('hex') + '\n', { mode: PRIVATE_FILE_MODE });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  const stat = fs.statSync(file);
  if (sharedBits(stat.mode)) fs.chmodSync(file, PRIVATE_FILE_MODE);
  const key = decode(fs.readFileSync(file, 'utf8'));
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key; remove it to generate a new one`);
  return { key, source: 'file' };
}
