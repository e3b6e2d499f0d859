import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The fixtures tests start as processes of their own (a worker to kill, a start to race). */
export const PROCESS_FIXTURES = ['provision-crash', 'crash-worker', 'idle-worker', 'upgrade-crash-worker', 'bootstrap-once'];

/**
 * Compiles the process fixtures with Mutu's code once for the run, as bin/cli-build.js does
 * for the `mutu` command: each start then loads plain JavaScript (about 1.5 s of a core)
 * instead of compiling every source through `--import tsx` again (about 3.5 s). Inside the
 * project (dist/), so the packages resolve from node_modules; removed after the run.
 */
export async function buildProcessFixtures(): Promise<string> {
  const esbuild = await import('esbuild');
  const outdir = path.join(projectRoot, 'dist', 'test-fixtures', `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(PROCESS_FIXTURES.map((name) => [name, `tests/fixtures/${name}.ts`])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  return outdir;
}

export function removeProcessFixtures(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
}
