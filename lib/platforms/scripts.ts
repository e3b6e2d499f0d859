import fs from 'node:fs';
import path from 'node:path';
import { frontIsSetUp, frontLayout } from '../front/settings';
import { projectRoot } from '../project-root';

/** Mutu's own PHP for platforms: the SPIP bootstrap (a pool's prepend) and its command line. */
export const SCRIPT_FILES = ['spip-bootstrap.php', 'spip-cli.php'] as const;
export type ScriptFile = (typeof SCRIPT_FILES)[number];

/** Where the scripts are in Mutu's own code. */
function sourceDir(): string {
  const dir = path.join(projectRoot, 'lib', 'platforms', 'scripts');
  if (!fs.existsSync(path.join(dir, 'spip-cli.php'))) throw new Error(`Mutu's platform scripts are missing from ${dir}: reinstall Mutu`);
  return dir;
}

export function readScript(name: ScriptFile): string {
  return fs.readFileSync(path.join(sourceDir(), name), 'utf8');
}

/**
 * The folder platform commands find the scripts in ({mutu_scripts}): once the front is set up,
 * its copy next to the bootstrap (root's, readable by every site's user, which runs them);
 * otherwise Mutu's own folder (commands then run as Mutu's user).
 */
export function scriptsDir(): string {
  return frontIsSetUp() ? frontLayout().bootstrapDir : sourceDir();
}
