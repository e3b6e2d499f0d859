import crypto from 'node:crypto';
import os from 'node:os';

/** A worker's id, `host:pid:random`: a process tells its own workers, and a dead one of its machine, from it. */
export const newWorkerId = (): string => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

/** The machine and process a worker id names, or null for an id of another shape. */
export function workerProcess(id: string): { host: string; pid: number } | null {
  const [host, pid] = id.split(':');
  return host && pid && /^\d+$/.test(pid) ? { host, pid: Number(pid) } : null;
}

/** Whether a worker id is one of this very process's workers. */
export function ranInThisProcess(id: string | null): boolean {
  const p = id ? workerProcess(id) : null;
  return !!p && p.host === os.hostname() && p.pid === process.pid;
}
