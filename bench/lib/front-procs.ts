import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** What /proc says of a server: its master and the processes it started. */

export function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const kib = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;

/** Resident bytes (VmRSS: shared pages count in every process that maps them) and proportional ones (Pss: shared pages divided among their users). */
export function memoryOf(pid: number): { rss: number; pss: number } {
  try {
    return { rss: kib(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS'), pss: kib(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

export interface ServerMemory {
  processes: number;
  master: { rss: number; pss: number };
  /** master and children together */
  total: { rss: number; pss: number };
}

export function serverMemory(master: number): ServerMemory {
  const pids = [master, ...childrenOf(master)];
  const each = pids.map(memoryOf);
  return {
    processes: pids.length,
    master: each[0]!,
    total: each.reduce((a, m) => ({ rss: a.rss + m.rss, pss: a.pss + m.pss }), { rss: 0, pss: 0 }),
  };
}

/** CPU time a process has used so far, user and system (USER_HZ ticks of /proc: 10 ms steps); kept across exec. */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

export const openFiles = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;

/** The soft limit of open files of a process. */
export function fileLimit(pid: number | 'self'): number {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? Number(m[1] === 'unlimited' ? Infinity : m[1]) : NaN;
}

export function hardFileLimit(): number {
  const m = /^Max open files\s+\S+\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
}

const retiring = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shutting down');
  } catch {
    return true; // gone
  }
};

/**
 * The end of an nginx reload as Mutu's nginxReload() sees it (new workers, every old one
 * retiring), without its time limit: for reloads that take longer than Mutu waits.
 */
export async function nginxReloaded(master: number, before: number[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = childrenOf(master);
    if (now.some((c) => !before.includes(c)) && before.every(retiring)) return;
    if (Date.now() > until) throw new Error(`nginx did not reload within ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

/** Once nginx's retiring workers are gone, its memory is that of the new configuration alone. */
export async function waitForOldWorkers(master: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (childrenOf(master).some((pid) => fs.existsSync(`/proc/${pid}`) && retiring(pid)) && Date.now() < until) await sleep(20);
}


export const pidIn = (file: string) => Number(fs.readFileSync(file, 'utf8').trim());

export const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB` : '—');
