import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * Profiles this process's CPU over one part of a bench only (not its set-up, as `node
 * --cpu-prof` would), into a `.cpuprofile` that Chrome's DevTools and `speedscope` open.
 */
export async function cpuProfile<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!file) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
