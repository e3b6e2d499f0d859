import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FrontProcesses } from '../../tests/helpers/front-processes';
import { config } from '../../lib/config';
import { siteLookupEntries, type SiteFront } from '../../lib/domain/front';
import { lookupFilesOf } from '../../lib/front/files';
import { syncFront } from '../../lib/front/farm';
import { nginxPid } from '../../lib/front/services';
import { frontLayout } from '../../lib/front/settings';
import { toggleSite, type ServeSample } from './front-mutu';
import { childrenOf, cpuMs } from './front-procs';
import { median, p95 } from './stats';

/** A static file every site of the bench platform serves (nginx alone, no PHP). */
const STATIC = 'mutu-bench.txt';

/** `requests` sequential requests on one kept-alive connection: how long each took, and nginx's workers' CPU for them. */
export interface RequestCost {
  lookup: 'map' | 'files';
  kind: 'static file' | 'PHP page';
  requests: number;
  wallMs: number;
  latencies: number[];
  /** CPU time of nginx's workers over the run, in ms (10 ms steps of /proc) */
  workerCpuMs: number;
  errors: number;
}

export interface LookupFigures {
  /** host files of every site written, then farm.conf switched (setupFront: nginx -t, one reload) */
  hostFiles: number;
  hostFilesMs: number;
  switchMs: number;
  /** Mutu's disable or enable with the files lookup */
  toggles: ServeSample[];
  noop: ServeSample[];
  /** nginx's master and workers were the same processes after every toggle (no reload) */
  nginxUntouched: boolean;
  requests: RequestCost[];
  wrong: string[];
}

const workersCpu = () => {
  const master = nginxPid();
  return master ? childrenOf(master).reduce((a, pid) => a + cpuMs(pid), 0) : NaN;
};
const nginxProcesses = () => {
  const master = nginxPid();
  return master ? `${master}:${childrenOf(master).join(',')}` : '';
};
const retiring = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shutting down');
  } catch {
    return true;
  }
};

/** After a reload: until the old workers are gone (they finish their requests after Mutu's reload returned). */
async function oldWorkersGone(): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until && childrenOf(nginxPid() ?? 0).some(retiring)) await new Promise((r) => setTimeout(r, 50));
}

/**
 * farm.conf switched to this lookup the way an admin does it, by `mutu front sync` (syncFront():
 * the other shape's files written first, whole nginx -t, one reload), the old workers gone.
 */
export async function switchLookup(lookup: 'map' | 'files'): Promise<number> {
  config().front.lookup = lookup;
  const t0 = performance.now();
  await syncFront();
  const took = performance.now() - t0;
  if (frontLayout().lookup !== lookup) throw new Error(`farm.conf did not switch to the ${lookup} lookup`);
  await oldWorkersGone();
  return took;
}

/**
 * The cost per request of each lookup, measured in alternating halves (map, files, map, files)
 * so that both meet the same moments of a busy machine; ends with the files lookup.
 */
export async function compareRequests(procs: FrontProcesses, host: string, count: number, say: (line: string) => void): Promise<RequestCost[]> {
  const out = new Map<string, RequestCost>();
  for (const lookup of ['map', 'files', 'map', 'files'] as const) {
    await switchLookup(lookup);
    for (const c of await measureRequests(procs, lookup, host, Math.ceil(count / 2))) {
      const key = `${c.lookup} ${c.kind}`;
      const had = out.get(key);
      out.set(key, had ? { ...had, requests: had.requests + c.requests, wallMs: had.wallMs + c.wallMs, latencies: [...had.latencies, ...c.latencies], workerCpuMs: had.workerCpuMs + c.workerCpuMs, errors: had.errors + c.errors } : c);
    }
    say(`  ${lookup} lookup: ${Math.ceil(count / 2)} requests of each kind`);
  }
  return [...out.values()].sort((a, b) => a.lookup.localeCompare(b.lookup));
}

/** The cost per request: `count` GETs one after the other (one connection kept alive), each checked. */
export async function measureRequests(procs: FrontProcesses, lookup: 'map' | 'files', host: string, count: number): Promise<RequestCost[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (urlPath: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: procs.port, path: urlPath, headers: { Host: host }, agent, timeout: 60_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer for ${host}${urlPath}`)));
      req.on('error', reject);
      req.end();
    });
  const out: RequestCost[] = [];
  try {
    for (const [kind, urlPath, expected] of [
      ['static file', `/${STATIC}`, 'static\n'],
      ['PHP page', '/', host],
    ] as const) {
      for (let i = 0; i < 20; i++) await get(urlPath); // warm: the connection, PHP's worker
      const latencies: number[] = [];
      let errors = 0;
      const cpu0 = workersCpu();
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        const s = performance.now();
        const r = await get(urlPath);
        latencies.push(performance.now() - s);
        if (r.status !== 200 || r.body.trim() !== expected.trim()) errors++;
      }
      out.push({ lookup, kind, requests: count, wallMs: performance.now() - t0, latencies, workerCpuMs: workersCpu() - cpu0, errors });
    }
  } finally {
    agent.destroy();
  }
  return out;
}

/** The static file in the bench platform's code (the web root of every site). */
export function writeStaticFile(front: SiteFront): void {
  fs.writeFileSync(path.join(front.codePath, STATIC), 'static\n', { mode: 0o644 });
}

/**
 * The farm switched to the files lookup (every site's host files written as `mutu front sync`
 * leaves them, then setupFront(): farm.conf with njs, checked, one reload), then Mutu's
 * disable/enable timed as with the map, and the cost per request of both lookups.
 */
export async function measureLookup(o: {
  procs: FrontProcesses;
  fronts: SiteFront[];
  toggleHost: string;
  requestHost: string;
  warmup: number;
  changes: number;
  requests: number;
  signal: AbortSignal;
  say: (line: string) => void;
}): Promise<LookupFigures> {
  const wrong: string[] = [];
  const layout = { ...frontLayout(), lookup: 'files' as const };
  const t0 = performance.now();
  let hostFiles = 0;
  for (const front of o.fronts) {
    for (const f of lookupFilesOf(layout, new Map([[front.host, siteLookupEntries(layout, front)]]))) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true, mode: 0o755 });
      fs.writeFileSync(f.file, f.content!, { mode: 0o644 });
      hostFiles++;
    }
  }
  const hostFilesMs = performance.now() - t0;
  const switchMs = await switchLookup('files');
  o.say(`  files lookup: ${hostFiles} files written in ${(hostFilesMs / 1000).toFixed(1)} s, farm.conf switched in ${(switchMs / 1000).toFixed(1)} s`);

  const toggles: ServeSample[] = [];
  const noop: ServeSample[] = [];
  const before = nginxProcesses();
  for (let k = 0; k < o.warmup + o.changes; k++) {
    o.signal.throwIfAborted();
    const closed = k % 2 === 0;
    const { change, again } = await toggleSite(o.procs, o.toggleHost, closed, '', wrong);
    if (k >= o.warmup) {
      toggles.push(change);
      noop.push(again);
    }
  }
  const nginxUntouched = nginxProcesses() === before;
  o.say(`  files lookup: ${o.changes} disables/enables, median ${median(toggles.map((t) => t.ms)).toFixed(1)} ms, p95 ${p95(toggles.map((t) => t.ms)).toFixed(1)} ms; nginx ${nginxUntouched ? 'never reloaded' : 'RELOADED'}`);
  const requests = await compareRequests(o.procs, o.requestHost, o.requests, o.say);
  return { hostFiles, hostFilesMs, switchMs, toggles, noop, nginxUntouched, requests, wrong };
}
