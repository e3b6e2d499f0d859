import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';

/**
 * "A job was queued", between the processes of one machine (a `mutu` command, the dashboard,
 * workers): whoever queues a job touches this file in the data folder, and each worker watches
 * it (inotify), so a job starts at once instead of at the next poll. Polling stays as the
 * fallback for a watch that cannot be set (another machine, a filesystem without inotify).
 */
function wakeFile(): string {
  return path.join(config().dataDir, 'jobs.wake');
}

/** Best effort: a job is queued whether or not a worker hears of it now. */
export function touchWakeFile(): void {
  const file = wakeFile();
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    try {
      fs.writeFileSync(file, '', { mode: 0o600 });
    } catch {}
  }
}

/** Calls `onWake` each time the file is touched; returns the function that stops watching (a no-op if it could not watch). */
export function watchWakeFile(onWake: () => void): () => void {
  const file = wakeFile();
  try {
    if (!fs.existsSync(file)) fs.writeFileSync(file, '', { mode: 0o600 });
    const watcher = fs.watch(file, { persistent: false }, () => onWake());
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => {};
  }
}
