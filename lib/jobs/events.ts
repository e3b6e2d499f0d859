import { EventEmitter } from 'node:events';
import { announceToOtherProcesses } from './wake';

/**
 * "A job was queued" and "a job ended", within one process. Kept on globalThis: in `mutu start` the web
 * server's bundled code and the worker load this module separately, and must share it.
 */
const holder = globalThis as unknown as { mutuJobEvents?: EventEmitter };
export const jobEvents: EventEmitter = (holder.mutuJobEvents ??= new EventEmitter().setMaxListeners(50));

export const JOB_QUEUED = 'queued';
export const JOB_ENDED = 'ended';

/** Wakes the workers of this process at once, and those of the other processes (lib/jobs/wake.ts). */
export function announceJobQueued(): void {
  jobEvents.emit(JOB_QUEUED);
  announceToOtherProcesses();
}

export function announceJobEnded(): void {
  jobEvents.emit(JOB_ENDED);
}

/**
 * Waits `ms`, or less when a job of this process ends first (or `signal` aborts): a job
 * that watches others (a bulk run's driver) reacts at once rather than at its next tick.
 */
export function untilJobEndsOr(ms: number, signal?: AbortSignal): Promise<void> {
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
