import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot } from '../project-root';

const SOURCES = ['app', 'components', 'lib', 'public', 'next.config.js', 'package.json', 'postcss.config.mjs'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** True when there is no production build, or a source file changed after it. */
function buildIsStale(): boolean {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(projectRoot, s)) > built);
}

/** Runs `next build`, its output passed through. */
async function runNextBuild(): Promise<void> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
}

const LOCK = path.join(projectRoot, '.next-build.lock');

/** True while the process that wrote the lock still runs (a lock left by a killed build is taken over). */
function lockHolderAlive(): boolean {
  try {
    process.kill(Number(fs.readFileSync(LOCK, 'utf8')), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Builds the dashboard when it is stale, one build at a time: two `mutu start` at once (or a
 * start beside a test run) would write the same .next/ together and break it. The second
 * waits for the first, then finds the build fresh.
 */
export async function buildAppIfStale(say: (m: string) => void): Promise<void> {
  for (;;) {
    if (!buildIsStale()) return;
    let fd: number;
    try {
      fd = fs.openSync(LOCK, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!lockHolderAlive()) fs.rmSync(LOCK, { force: true });
      else await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      if (!buildIsStale()) return; // built by another process meanwhile
      say('Building the dashboard (first start or changed sources)...');
      await runNextBuild();
      return;
    } finally {
      fs.rmSync(LOCK, { force: true });
    }
  }
}
