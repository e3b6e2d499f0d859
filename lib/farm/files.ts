import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes a file whole or not at all: written aside with its final mode, then renamed over. */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
  try {
    fs.chmodSync(tmp, mode); // the umask may have narrowed it
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
