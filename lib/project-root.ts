import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Mutu's installed folder: the nearest folder up from this code holding Mutu's package.json.
 * Found by looking rather than by a fixed depth, so it holds from the sources and from the
 * command line compiled into dist/cli/<build>/.
 */
function findProjectRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'mutu') return dir;
    } catch {}
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export const projectRoot = findProjectRoot();
