import { EventEmitter } from 'node:events';

/**
 * "A job was queued", within one process. Kept on globalThis: in `mutu start` the web
 * server's bundled code and the worker load this module separately, and must share it.
 */
const holder = globalThis as unknown as { mutuJobEvents?: EventEmitter };
export const jobEvents: EventEmitter = (holder.mutuJobEvents ??= new EventEmitter().setMaxListeners(50));

export const JOB_QUEUED = 'queued';

export function announceJobQueued(): void {
  jobEvents.emit(JOB_QUEUED);
}
