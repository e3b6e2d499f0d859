import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileReader, fileWriter } from '../processes/file-streams';

/**
 * Copies an export file into `dir` under its own name, through a temporary name, checking
 * the copy's sha256 on the way: a copy that does not match is removed and refused.
 */
export async function placeExportFile(source: string, dir: string, name: string, sha256: string, mode = 0o640): Promise<string> {
  const target = path.join(dir, path.basename(name));
  const tmp = path.join(dir, `.${path.basename(name)}.part`);
  const hash = crypto.createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    fs.rmSync(tmp, { force: true }); // a leftover of an earlier try would keep its own mode
    await pipeline(fileReader(source), hashing, fileWriter(tmp, { flags: 'wx', mode }));
    const got = hash.digest('hex');
    if (got !== sha256) throw new Error(`${name}: the copy's sha256 is ${got}, not ${sha256}; the export may be damaged, prepare a new one`);
    fs.chmodSync(tmp, mode); // the umask may have narrowed it
    fs.renameSync(tmp, target);
    return target;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
