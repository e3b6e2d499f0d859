// The front's PHP-FPM split into pool groups (MUTU_FRONT_PHP_GROUPS, `--fpm-groups N`): the
// farm's pools shared out over N masters, a change checking and reloading one group only.
// Measures what the single master could not take at 10,000 sites (bench/README.md, "front").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PHP_VERSION, waitUntilAccepts, type FrontProcesses } from '../../tests/helpers/front-processes';
import { bootstrap } from '../../lib/bootstrap';
import { db } from '../../lib/db/client';
import { farmConfFile, socketPath } from '../../lib/domain/front';
import { serveSite } from '../../lib/front/apply';
import { setupFront } from '../../lib/front/farm';
import { poolFile } from '../../lib/front/files';
import { phpFpmPid, phpFpmTest } from '../../lib/front/services';
import { fpmGroupFor, fpmGroupsOf, frontLayout } from '../../lib/front/settings';
import type { FrontBenchArgs } from './front-args';
import { addSiteRow, benchPlatform, fillRegistry, loadSites, newHost, writeSiteFiles } from './front-farm';
import { writeExtraPool } from './front-fpm';
import { startedNginx } from './front-nginx';
import { cpuMs, memoryOf, mib } from './front-procs';
import { median, ms } from './stats';

const LIMIT_MS = 900_000;

interface Timed {
  ms: number;
  error?: string;
}

export interface GroupsResult {
  groups: number;
  sites: number;
  poolsPerGroup: { min: number; max: number };
  startMs: number;
  masters: { processes: number; rss: number; pss: number };
  testMs: number[];
  reloads: { socketMs: number; cpuMs: number; otherMs: number; otherStatus: number; othersUnchanged: boolean }[];
  newSite: Timed & { answeredMs: number; reloaded: string[] };
  destroyed: Timed & { reloaded: string[] };
  load: { before: number[]; after: number[] };
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value?: T; error?: string }> {
  const t0 = performance.now();
  try {
    const value = await run();
    return { ms: performance.now() - t0, value };
  } catch (err) {
    return { ms: performance.now() - t0, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

const pidStamp = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8');

export async function runGroupsBench(ctx: { args: FrontBenchArgs; tag: string; procs: FrontProcesses; say: (line: string) => void; signal: AbortSignal }): Promise<GroupsResult> {
  const { args, tag, procs, say, signal } = ctx;
  const loadBefore = os.loadavg();
  await bootstrap(() => {});
  const platform = await benchPlatform();
  await setupFront();
  const layout = frontLayout();
  await fillRegistry(platform, tag, args.sites);
  const sites = await loadSites();
  const { fronts } = writeSiteFiles(layout, sites, () => false);
  const groups = fpmGroupsOf(PHP_VERSION);
  const counts = groups.map((g) => fs.readdirSync(g.pools).length - 1);
  say(`${args.sites} sites written over ${groups.length} groups (${Math.min(...counts)} to ${Math.max(...counts)} pools each)`);
  signal.throwIfAborted();

  fs.writeFileSync(path.join(procs.confDir, 'case.conf'), `include ${farmConfFile(layout)};\n`);
  await startedNginx(procs);
  let t0 = performance.now();
  await procs.startFpmGroups();
  // Every master up: each pool has its socket (not connecting: an ondemand pool would start a worker).
  for (const f of fronts) {
    while (!fs.existsSync(socketPath(layout, f.unixUser))) {
      if (performance.now() - t0 > LIMIT_MS) throw new Error(`no socket for ${f.host}: ${procs.fpmLog().slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  const startMs = performance.now() - t0;
  const pids = groups.map((g) => phpFpmPid(g)!);
  const mem = pids.map(memoryOf);
  const children = pids.reduce((n, p) => n + fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length, 0);
  const masters = { processes: pids.length + children, rss: mem.reduce((n, m) => n + m.rss, 0), pss: mem.reduce((n, m) => n + m.pss, 0) };
  say(`${groups.length} masters up in ${ms(startMs)}: ${masters.processes} processes, ${mib(masters.rss)} RSS (${mib(masters.pss)} PSS) in all`);

  // php-fpm -t of one group (Mutu's own call), then reloads of one group adding a pool.
  const target = fpmGroupFor(PHP_VERSION, fronts[0]!.unixUser);
  const testMs: number[] = [];
  for (let r = 0; r < args.fpmRuns; r++) {
    t0 = performance.now();
    await phpFpmTest(target);
    testMs.push(performance.now() - t0);
  }
  say(`php-fpm -t of ${target.label}: ${ms(median(testMs))}`);
  const other = sites.find((s) => fpmGroupFor(PHP_VERSION, s.unixUser!).index !== target.index)!;
  const reloads: GroupsResult['reloads'] = [];
  const added: string[] = [];
  try {
    for (let r = 0, i = 0; r < args.fpmRuns; i++) {
      const unixUser = `mb${tag}r${i}`;
      if (fpmGroupFor(PHP_VERSION, unixUser).index !== target.index) continue; // a pool of the same group
      r++;
      added.push(writeExtraPool(layout, fronts[0]!, `reload-${i}.${tag}.bench.example.org`, unixUser));
      const stamps = pids.map(pidStamp);
      const pid = phpFpmPid(target)!;
      const cpu = cpuMs(pid);
      t0 = performance.now();
      process.kill(pid, 'SIGUSR2');
      const since = () => performance.now() - t0;
      const [socketMs, answer] = await Promise.all([
        waitUntilAccepts(socketPath(layout, unixUser), LIMIT_MS).then(since),
        procs.get(other.host, '/', LIMIT_MS).then((res) => ({ ms: since(), status: res.status })),
      ]);
      // The other masters: same pid, same /proc stat start time, pid files untouched below.
      const othersUnchanged = groups.every((g, j) => g.index === target.index || (phpFpmPid(g) === pids[j] && pidStamp(pids[j]!).split(' ')[21] === stamps[j]!.split(' ')[21]));
      reloads.push({ socketMs, cpuMs: cpuMs(pid) - cpu, otherMs: answer.ms, otherStatus: answer.status, othersUnchanged });
      say(`reload of ${target.label}: new socket after ${ms(socketMs)}; another group's site answered ${answer.status} after ${ms(answer.ms)}`);
    }
  } finally {
    for (const f of added) fs.rmSync(f, { force: true });
  }

  // Mutu's serveSite(): a new site (Unix user, owners, pool, map), then its destruction.
  const host = newHost(tag, 0);
  await addSiteRow(platform, host);
  const made = await timed(() => serveSite(host));
  say(`new site through serveSite(): ${made.error ? `failed after ${ms(made.ms)}: ${made.error}` : ms(made.ms)}`);
  t0 = performance.now();
  let answeredMs = NaN;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const r = await procs.get(host, '/', 60_000).catch(() => ({ status: 0, body: '' }));
    if (r.status === 200 && r.body.includes(host)) {
      answeredMs = made.ms + performance.now() - t0;
      break;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
  say(`  it answers from its own PHP ${ms(answeredMs)} after the call (pool in ${fpmGroupFor(PHP_VERSION, unixUser!).label})`);
  const gone = await timed(() => serveSite(host, { absent: true }));
  say(`destroyed site through serveSite(): ${gone.error ? `failed after ${ms(gone.ms)}: ${gone.error}` : ms(gone.ms)}; pool left: ${fs.existsSync(poolFile(PHP_VERSION, unixUser!))}`);
  await db.site.delete({ where: { host } });

  return {
    groups: groups.length,
    sites: args.sites,
    poolsPerGroup: { min: Math.min(...counts), max: Math.max(...counts) },
    startMs,
    masters,
    testMs,
    reloads,
    newSite: { ms: made.ms, error: made.error, answeredMs, reloaded: made.value?.reloaded ?? [] },
    destroyed: { ms: gone.ms, error: gone.error, reloaded: gone.value?.reloaded ?? [] },
    load: { before: loadBefore, after: os.loadavg() },
  };
}

export function renderGroupsReport(r: GroupsResult, date: Date): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  const lines = [
    `# Front: PHP-FPM in ${r.groups} pool groups, ${r.sites.toLocaleString('en')} sites (${date.toISOString()})`,
    '',
    `Load average (1 / 5 / 15 min): ${load(r.load.before)} at the start, ${load(r.load.after)} at the end.`,
    '',
    '| | |',
    '|---|---:|',
    `| pools per group | ${r.poolsPerGroup.min} to ${r.poolsPerGroup.max} |`,
    `| all masters started, until every pool's socket accepts | ${ms(r.startMs)} |`,
    `| processes when idle (all masters) | ${r.masters.processes} |`,
    `| memory of all masters when idle: RSS (PSS) | ${mib(r.masters.rss)} (${mib(r.masters.pss)}) |`,
    `| \`php-fpm -t\` of one group (median of ${r.testMs.length}) | ${ms(median(r.testMs))} |`,
    `| reload of one group until a new pool's socket accepts (median of ${r.reloads.length}) | ${ms(median(r.reloads.map((x) => x.socketMs)))} |`,
    `| … CPU time of that master | ${ms(median(r.reloads.map((x) => x.cpuMs)))} |`,
    `| a request to another group's site sent with the signal | ${r.reloads.map((x) => `HTTP ${x.otherStatus} after ${ms(x.otherMs)}`).join('; ')} |`,
    `| the other masters untouched (same pid, same start) | ${r.reloads.every((x) => x.othersUnchanged) ? 'yes' : 'no'} |`,
    `| **new site via \`serveSite()\`** (user, owners, pool, map; check and reload of its group and nginx) | **${r.newSite.error ? `failed after ${ms(r.newSite.ms)}: ${r.newSite.error}` : ms(r.newSite.ms)}** (${r.newSite.reloaded.join(', ')}) |`,
    `| … until it answered from its own PHP | ${ms(r.newSite.answeredMs)} |`,
    `| **destroyed site via \`serveSite()\`** | **${r.destroyed.error ? `failed after ${ms(r.destroyed.ms)}: ${r.destroyed.error}` : ms(r.destroyed.ms)}** (${r.destroyed.reloaded.join(', ')}) |`,
    '',
  ];
  return lines.join('\n');
}
