import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file whole or not at all: written aside with its final mode (and owner, when
 * given: a file the web server reads keeps its group), then renamed over.
 */
export function writeFileAtomic(file: string, content: string, mode: number, owner?: { uid: number; gid: number }): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
  try {
    if (owner) fs.chownSync(tmp, owner.uid, owner.gid);
    fs.chmodSync(tmp, mode); // the umask may have narrowed it
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
