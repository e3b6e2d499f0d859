import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundle } from '../../bin/cli-build.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The fixtures tests start as processes of their own (a worker to kill, a start to race). */
export const PROCESS_FIXTURES = ['provision-crash', 'crash-worker', 'idle-worker', 'upgrade-crash-worker', 'bootstrap-once'];

/**
 * Compiles the process fixtures with Mutu's code once for the run, as the `mutu` command is
 * compiled (bin/cli-build.js): each start then loads plain JavaScript (about 1.5 s of a core)
 * instead of compiling every source through `--import tsx` again (about 3.5 s). Into dist/,
 * so the packages resolve from node_modules; removed after the run.
 */
export async function buildProcessFixtures(): Promise<string> {
  const outdir = path.join(projectRoot, 'dist', 'test-fixtures', `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await bundle(Object.fromEntries(PROCESS_FIXTURES.map((name) => [name, `tests/fixtures/${name}.ts`])), outdir);
  return outdir;
}

export function removeProcessFixtures(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
}
