import fs from 'node:fs';
import path from 'node:path';
import { translatedError } from '../i18n/errors';

const WAIT_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One change of the front at a time, across every Mutu process of the machine (the server's
 * worker, `mutu worker`, the command line): nginx -t must test what this change wrote, not
 * half of another's. A lock left by a dead process is taken over.
 */
export async function withFrontLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const lock = path.join(dir, '.lock');
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock, { mode: 0o700 });
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {}
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      // No pid yet is a lock being taken right now, unless it has been so for long.
      if ((Number.isInteger(owner) && owner > 0 && !alive(owner)) || (Number.isNaN(owner) && age > 10_000)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > until) throw translatedError((m) => new Error(m), 'serviceErrors.frontLocked', { owner: String(owner), seconds: String(WAIT_MS / 1000), lock });
      await sleep(25);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
