import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root';

/** Mutu's version, from its package.json (what a worker reports in the registry). */
export const mutuVersion: string = (() => {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
})();
