import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot } from '../project-root';
import { formatDuration } from '../domain/format';

const SOURCES = ['app', 'components', 'lib', 'i18n', 'messages', 'public', 'next.config.js', 'package.json', 'postcss.config.mjs'];

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

/** Lines kept from the end of a failed build's log, to show with the error. */
const TAIL_LINES = 40;

/**
 * Runs `next build` with its output written to `logFile` (its noise stays out of the
 * terminal); a failure says where the log is, with its last lines.
 */
async function runNextBuild(logFile: string): Promise<void> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w', 0o600);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio: ['ignore', log, log], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) return resolve();
        const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
        reject(new Error(`building the dashboard failed (next build exited ${code}); its whole output is in ${logFile}. The end of it:\n${tail}`));
      });
    });
  } finally {
    fs.closeSync(log);
  }
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
 * waits for the first, then finds the build fresh. Its output goes to `logFile`.
 */
export async function buildAppIfStale(say: (m: string) => void, logFile: string): Promise<void> {
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
      say(`Building the dashboard (first start or changed sources, about a minute); its output goes to ${logFile}`);
      const started = Date.now();
      await runNextBuild(logFile);
      say(`Built in ${formatDuration(Date.now() - started)}.`);
      return;
    } finally {
      fs.rmSync(LOCK, { force: true });
    }
  }
}
