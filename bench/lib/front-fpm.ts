import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PHP_VERSION, waitUntilAccepts, type FrontProcesses } from '../../tests/helpers/front-processes';
import { runTool } from '../../lib/databases/run-tool';
import { socketPath, type FrontLayout, type SiteFront } from '../../lib/domain/front';
import { poolFile, renderSitePool } from '../../lib/front/files';
import { phpFpmPid } from '../../lib/front/services';
import { fpmGroup, phpFpmPaths } from '../../lib/front/settings';
import { cpuMs, fileLimit, openFiles, serverMemory, type ServerMemory } from './front-procs';
import { runAs } from './front-farm';

/** No limit of Mutu's here: the raw figures are how long PHP-FPM really takes. */
const RAW_LIMIT_MS = 900_000;

export interface FpmIdle {
  pools: number;
  poolBytes: number;
  /** from the start of PHP-FPM to the moment the last pool's socket is there */
  startMs: number;
  /** CPU time of the master until then */
  startCpuMs: number;
  idle: ServerMemory;
  openFiles: number;
  fileLimit: number;
}

export interface FpmReload {
  /** SIGUSR2 until the new pool's socket accepts */
  socketMs: number;
  /** SIGUSR2 until PHP-FPM logs that it is ready again */
  readyMs: number;
  /** CPU time the master spent on the reload (it reads every pool again) */
  cpuMs: number;
  /** a request to another site's PHP sent right after the signal: how long the farm's PHP waits */
  stallMs: number;
  stallStatus: number;
  /** what PHP-FPM wrote to its log for the reload */
  logBytes: number;
}

export interface FpmChecks {
  testMs: number[];
  reloads: FpmReload[];
  afterReloads: ServerMemory;
}

const master = () => {
  const pid = phpFpmPid(fpmGroup(PHP_VERSION, 0));
  if (!pid) throw new Error('PHP-FPM is not running');
  return pid;
};

const fpmLog = (procs: FrontProcesses) => path.join(procs.dir, 'php-fpm.log');
export const logSize = (procs: FrontProcesses) => fs.statSync(fpmLog(procs)).size;

/** Waits for PHP-FPM's "ready to handle connections" written after `offset` of its log: the end of a (re)load. */
export async function fpmReadyAfter(procs: FrontProcesses, offset: number, timeoutMs = RAW_LIMIT_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const fd = fs.openSync(fpmLog(procs), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const tail = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, tail, 0, tail.length, offset);
      if (tail.includes('ready to handle connections')) return;
    } finally {
      fs.closeSync(fd);
    }
    if (Date.now() > until) throw new Error(`PHP-FPM did not say it was ready within ${timeoutMs / 1000} s: ${procs.fpmLog().slice(-2000)}`);
    await sleep(50);
  }
}

/** PHP-FPM started on every site's pool; what it holds once idle, before any request. */
export async function startIdleFpm(procs: FrontProcesses, layout: FrontLayout, fronts: SiteFront[], poolBytes: number): Promise<FpmIdle> {
  const t0 = performance.now();
  await procs.startFpm();
  // Not connecting to a socket: an ondemand pool would start a worker for it.
  await fpmReadyAfter(procs, 0);
  const startMs = performance.now() - t0;
  if (!fs.existsSync(socketPath(layout, fronts[fronts.length - 1]!.unixUser))) throw new Error('PHP-FPM is ready but the last pool has no socket');
  const pid = master();
  return { pools: fronts.length, poolBytes, startMs, startCpuMs: cpuMs(pid), idle: serverMemory(pid), openFiles: openFiles(pid), fileLimit: fileLimit(pid) };
}

/** A pool for a site that is not in the registry, as Mutu renders it, run by the web user. */
export function writeExtraPool(layout: FrontLayout, template: SiteFront, host: string, unixUser: string): string {
  const file = poolFile(PHP_VERSION, unixUser);
  fs.writeFileSync(file, runAs(renderSitePool(layout, { ...template, host, unixUser, aliases: [] }), layout.webUser));
  return file;
}

/**
 * `php-fpm -t` alone, then reloads (SIGUSR2) that each add one pool (what a new site
 * changes), with a request to an existing site's PHP sent at once: it waits for the
 * reloaded master. Raw: the binary and the signal, with no time limit.
 */
export async function checkAndReloadFpm(o: {
  procs: FrontProcesses;
  layout: FrontLayout;
  template: SiteFront;
  tag: string;
  stallHost: string;
  runs: number;
  signal: AbortSignal;
}): Promise<FpmChecks> {
  const testMs: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    o.signal.throwIfAborted();
    const t0 = performance.now();
    await runTool(`php-fpm${PHP_VERSION}`, ['-t', '-y', phpFpmPaths(PHP_VERSION).conf], { timeoutMs: RAW_LIMIT_MS });
    testMs.push(performance.now() - t0);
  }
  const reloads: FpmReload[] = [];
  const added: string[] = [];
  try {
    for (let r = 0; r < o.runs; r++) {
      o.signal.throwIfAborted();
      const unixUser = `mb${o.tag}r${r}`;
      added.push(writeExtraPool(o.layout, o.template, `reload-${r}.${o.tag}.bench.example.org`, unixUser));
      const logBefore = logSize(o.procs);
      const pid = master();
      const cpu = cpuMs(pid);
      const t0 = performance.now();
      process.kill(pid, 'SIGUSR2');
      const since = () => performance.now() - t0;
      const socket = waitUntilAccepts(socketPath(o.layout, unixUser), RAW_LIMIT_MS).then(since);
      const ready = fpmReadyAfter(o.procs, logBefore).then(since);
      const stall = o.procs.get(o.stallHost, '/', RAW_LIMIT_MS).then((res) => ({ ms: since(), status: res.status }));
      const [socketMs, readyMs, answer] = await Promise.all([socket, ready, stall]);
      reloads.push({ socketMs, readyMs, cpuMs: cpuMs(pid) - cpu, stallMs: answer.ms, stallStatus: answer.status, logBytes: logSize(o.procs) - logBefore });
    }
  } finally {
    // Gone at PHP-FPM's next reload (Mutu's next change of a pool).
    for (const f of added) fs.rmSync(f, { force: true });
  }
  return { testMs, reloads, afterReloads: serverMemory(master()) };
}
