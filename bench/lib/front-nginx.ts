import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FrontProcesses } from '../../tests/helpers/front-processes';
import type { FrontLayout, SiteFront } from '../../lib/domain/front';
import { config } from '../../lib/config';
import { runTool, ToolError } from '../../lib/databases/run-tool';
import { writeChecked } from '../../lib/front/changes';
import { nginxPid, nginxReload } from '../../lib/front/services';
import { childrenOf, cpuMs, nginxReloaded, serverMemory, waitForOldWorkers, type ServerMemory } from './front-procs';
import { siteChange, writeShape, type Shape } from './front-shapes';

/** One site's change, cut in its parts: the file written beside then renamed, `nginx -t`, the reload. */
export interface ChangeSample {
  writeMs: number;
  testMs: number;
  reloadMs: number;
  totalMs: number;
  /** CPU time nginx's master spent on the reload (reading the whole configuration again) */
  reloadCpuMs: number;
  /** Mutu's nginxReload() gave up waiting (10 s); the bench waited on for the same end */
  reloadGaveUp: boolean;
}

export interface NginxCase {
  shape: Shape;
  sites: number;
  bytes: number;
  /** from the start of nginx to its pid file (the configuration parsed) */
  startMs: number;
  atStart: ServerMemory;
  afterChanges: ServerMemory;
  changes: ChangeSample[];
  /** answers checked (one after each change, warm-up included), and those that did not match the change just applied */
  answers: number;
  wrong: string[];
}

/** No limit of Mutu's here: a check or a reload that takes longer than Mutu waits is timed to its end. */
const RELOAD_LIMIT_MS = 900_000;
/** Mutu's own limits (lib/front/services.ts), for the report. */
export const MUTU_LIMITS = { nginxTestMs: 60_000, nginxReloadMs: 10_000, fpmTestMs: 60_000, fpmReloadMs: 30_000 };

/**
 * Mutu's way for one file: written beside and renamed (put back if the check fails), `nginx
 * -t`, then a reload that waits for the new workers. Mutu's own limits (60 s for the check,
 * 10 s for the new workers) are noted, not enforced: the bench times each part to its end.
 */
export async function nginxChange(file: string, content: string): Promise<ChangeSample> {
  const master = nginxPid();
  if (!master) throw new Error('nginx is not running');
  const t0 = performance.now();
  let t1 = NaN;
  let t2 = NaN;
  await writeChecked([{ file, content }], async () => {
    t1 = performance.now();
    // Mutu's nginxTest() as it runs (same command), without its 60 s limit: timed to its end.
    await runTool('nginx', ['-t', '-q', '-c', config().front.nginxConf], { timeoutMs: RELOAD_LIMIT_MS });
    t2 = performance.now();
  });
  const before = childrenOf(master);
  const cpu = cpuMs(master);
  let reloadGaveUp = false;
  try {
    if ((await nginxReload()) !== 'reloaded') throw new Error('nginx is not running');
  } catch (err) {
    if (!(err instanceof ToolError) || !/did not start new workers/.test(err.message)) throw err;
    reloadGaveUp = true;
    await nginxReloaded(master, before, RELOAD_LIMIT_MS);
  }
  const t3 = performance.now();
  return { writeMs: t1 - t0, testMs: t2 - t1, reloadMs: t3 - t2, totalMs: t3 - t0, reloadCpuMs: cpuMs(master) - cpu, reloadGaveUp };
}

export type Expected = 'serve' | 'closed' | 'gone';

/** Right after a change, a request to the site must meet it: its own PHP, the 503 page, or the neutral 404. */
export async function checkAnswer(procs: FrontProcesses, host: string, expected: Expected, wrong: string[]): Promise<void> {
  const r = await procs.get(host, '/', 120_000);
  const ok = expected === 'serve' ? r.status === 200 && r.body.trim() === host : r.status === (expected === 'closed' ? 503 : 404);
  if (!ok) wrong.push(`${host} (${expected}): HTTP ${r.status} ${r.body.replace(/\s+/g, ' ').slice(0, 100)}`);
}

/** The nginx's master once it runs its workers (Debian's `worker_processes auto`: one per core). */
export async function startedNginx(procs: FrontProcesses): Promise<{ master: number; startMs: number }> {
  const t0 = performance.now();
  await procs.startNginx();
  const startMs = performance.now() - t0;
  const master = nginxPid();
  if (!master) throw new Error(`nginx wrote no pid: ${procs.nginxLog()}`);
  const until = Date.now() + 10_000;
  while (childrenOf(master).length < os.cpus().length && Date.now() < until) await sleep(20);
  return { master, startMs };
}

/** The site changed by the k-th change: far apart, each closed then opened again. */
const changedSite = (fronts: SiteFront[], k: number) => fronts[(Math.floor(k / 2) * 7919 + 13) % fronts.length]!;

/**
 * One shape at one size: the configuration written, nginx started on it, then `warmup +
 * changes` changes, each closing a site or opening it again; each answer checked.
 */
export async function measureShape(o: {
  shape: Shape;
  layout: FrontLayout;
  fronts: SiteFront[];
  procs: FrontProcesses;
  warmup: number;
  changes: number;
  signal: AbortSignal;
}): Promise<NginxCase> {
  const layout = { ...o.layout, nginxDir: path.join(path.dirname(o.layout.nginxDir), 'shapes', `${o.shape}-${o.fronts.length}`) };
  const { include, bytes } = writeShape(o.shape, layout, o.fronts);
  const caseFile = path.join(o.procs.confDir, 'case.conf');
  fs.writeFileSync(caseFile, include);
  try {
    const { master, startMs } = await startedNginx(o.procs);
    const atStart = serverMemory(master);
    const changes: ChangeSample[] = [];
    const wrong: string[] = [];
    for (let k = 0; k < o.warmup + o.changes; k++) {
      o.signal.throwIfAborted();
      const front = changedSite(o.fronts, k);
      const state = k % 2 === 0 ? 'closed' : 'serve';
      const sample = await nginxChange(...siteChange(o.shape, layout, { ...front, state }));
      await checkAnswer(o.procs, front.host, state, wrong);
      if (k >= o.warmup) changes.push(sample);
    }
    await waitForOldWorkers(master);
    return { shape: o.shape, sites: o.fronts.length, bytes, startMs, atStart, afterChanges: serverMemory(master), changes, answers: o.warmup + o.changes, wrong };
  } finally {
    await o.procs.stopNginx();
    fs.rmSync(caseFile, { force: true });
    fs.rmSync(layout.nginxDir, { recursive: true, force: true });
  }
}
