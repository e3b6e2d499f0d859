import { EventEmitter } from 'node:events';
import { announceToOtherProcesses } from './wake';

/**
 * "A job was queued" and "a job ended", within one process. Kept on globalThis: in `mutu start` the web
 * server's bundled code and the worker load this module separately, and must share it.
 */
const holder = globalThis as unknown as { mutuJobEvents?: EventEmitter; mutuJobsEnded?: { count: number } };
export const jobEvents: EventEmitter = (holder.mutuJobEvents ??= new EventEmitter().setMaxListeners(50));
/** Jobs of this process ended so far: a waiter compares it with what it saw, so an end between two looks is not missed. */
const ends = (holder.mutuJobsEnded ??= { count: 0 });

export const JOB_QUEUED = 'queued';
export const JOB_ENDED = 'ended';

/** Wakes the workers of this process at once, and those of the other processes (lib/jobs/wake.ts). */
export function announceJobQueued(): void {
  jobEvents.emit(JOB_QUEUED);
  announceToOtherProcesses();
}

export function announceJobEnded(): void {
  ends.count++;
  jobEvents.emit(JOB_ENDED);
}

/** How many jobs of this process ended so far: given back to `untilJobEndsOr` as `seen`. */
export function jobsEndedSoFar(): number {
  return ends.count;
}

/**
 * Waits `ms`, or less when a job of this process ends first (or `signal` aborts): a job
 * that watches others (a bulk run's driver) reacts at once rather than at its next tick.
 * With `seen` (`jobsEndedSoFar()` read before the watcher last looked), a job that ended since
 * ends the wait at once: it ended while the watcher was looking, maybe after it read that job.
 */
export function untilJobEndsOr(ms: number, signal?: AbortSignal, seen?: number): Promise<void> {
  if (seen !== undefined && seen !== ends.count) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      jobEvents.off(JOB_ENDED, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    jobEvents.once(JOB_ENDED, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
