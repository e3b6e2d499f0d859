import fs from 'node:fs';
import os from 'node:os';
import type { FrontBenchArgs } from './front-args';
import { MUTU_LIMITS, type ChangeSample, type NginxCase } from './front-nginx';
import type { ServerMemory } from './front-procs';
import { mib } from './front-procs';
import type { FrontBenchResult } from './front-run';
import type { PoolChange, ServeSample } from './front-mutu';
import { median, ms, p95 } from './stats';

export interface FrontRunInfo {
  date: Date;
  args: FrontBenchArgs;
  loadBefore: number[];
  loadAfter: number[];
  durationMs: number;
}

const n = (x: number) => x.toLocaleString('en');
const pair = (values: number[]) => `${ms(median(values))} / ${ms(p95(values))}`;
type Timed = Exclude<keyof ChangeSample, 'reloadGaveUp'>;
const part = (c: NginxCase, key: Timed) => c.changes.map((s) => s[key]);
const memory = (m: ServerMemory) => `${mib(m.total.rss)} (PSS ${mib(m.total.pss)}), ${m.processes} processes`;
const SHAPE_TITLE = { map: "Mutu's map", servers: 'a server block per site' };

function machine(result: FrontBenchResult): string {
  const cpus = os.cpus();
  let distro = `${os.type()} ${os.release()}`;
  try {
    distro = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {}
  return `- ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${distro}, Node ${process.version}; ${result.versions.join('; ')}`;
}

function nginxTable(cases: NginxCase[]): string[] {
  const row = (label: string, cell: (c: NginxCase) => string) => `| ${label} | ${cases.map(cell).join(' | ')} |`;
  return [
    `| | ${cases.map((c) => `${SHAPE_TITLE[c.shape]}, ${n(c.sites)} sites`).join(' | ')} |`,
    `|---|${cases.map(() => '---:').join('|')}|`,
    row('configuration written', (c) => mib(c.bytes)),
    row('**one change: write + `nginx -t` + reload**, median / p95', (c) => `**${pair(part(c, 'totalMs'))}**`),
    row('… write beside and rename, median / p95', (c) => pair(part(c, 'writeMs'))),
    row('… `nginx -t`, median / p95', (c) => pair(part(c, 'testMs'))),
    row('… reload until the old workers stop accepting, median / p95', (c) => pair(part(c, 'reloadMs'))),
    row("… CPU time of nginx's master for the reload, median", (c) => ms(median(part(c, 'reloadCpuMs')))),
    row("checks over Mutu's limit for `nginx -t` (60 s)", (c) => `${c.changes.filter((s) => s.testMs > MUTU_LIMITS.nginxTestMs).length} of ${c.changes.length}`),
    row("reloads Mutu's nginxReload() gave up waiting for (10 s)", (c) => `${c.changes.filter((s) => s.reloadGaveUp).length} of ${c.changes.length}`),
    row('nginx start (to its pid file)', (c) => ms(c.startMs)),
    row('memory after start: master + workers, RSS', (c) => memory(c.atStart)),
    row('memory after the changes: master + workers, RSS', (c) => memory(c.afterChanges)),
    row("nginx's master alone, RSS after start → after the changes", (c) => `${mib(c.atStart.master.rss)} → ${mib(c.afterChanges.master.rss)}`),
    row('answers that missed the change', (c) => `${c.wrong.length} of ${c.answers}`),
  ];
}

const medMax = (values: number[]) => `${ms(median(values))} / ${ms(Math.max(...values))}`;

function fpmTable(r: FrontBenchResult): string[] {
  const i = r.fpmIdle;
  const f = r.fpm;
  if (!f) return [`PHP-FPM started on ${n(i.pools)} pools in ${ms(i.startMs)}; its checks and reloads not measured (--map-only).`];
  const of = (key: 'socketMs' | 'readyMs' | 'cpuMs' | 'stallMs' | 'logBytes') => f.reloads.map((x) => x[key]);
  return [
    `| | median / max of ${f.testMs.length} |`,
    '|---|---:|',
    `| pools (Mutu's pool files, run as www-data) | ${n(i.pools)} + 1 idle (${mib(i.poolBytes)}) |`,
    `| start, until PHP-FPM says it is ready (CPU time of its master) | ${ms(i.startMs)} (${ms(i.startCpuMs)}) |`,
    `| **processes when idle** | **${i.idle.processes}** |`,
    `| master's memory when idle, RSS (PSS) | ${mib(i.idle.master.rss)} (${mib(i.idle.master.pss)}) |`,
    `| master's open files / its limit (\`rlimit_files = ${n(r.fpmFileLimit)}\`) | ${n(i.openFiles)} / ${n(i.fileLimit)} |`,
    `| **\`php-fpm -t\`** (Mutu gives up after ${ms(MUTU_LIMITS.fpmTestMs)}) | **${medMax(f.testMs)}** |`,
    `| **reload (SIGUSR2), until a new pool's socket accepts** (Mutu waits ${ms(MUTU_LIMITS.fpmReloadMs)}) | **${medMax(of('socketMs'))}** |`,
    `| … until PHP-FPM says it is ready | ${medMax(of('readyMs'))} |`,
    `| … CPU time of the master for the reload | ${medMax(of('cpuMs'))} |`,
    `| a request to another site's PHP sent with the signal, answered after | ${medMax(of('stallMs'))} (HTTP ${[...new Set(f.reloads.map((x) => x.stallStatus))].join(', ')}) |`,
    `| PHP-FPM's log per reload | ${mib(median(of('logBytes')))} |`,
    `| master's memory after the reloads, RSS (PSS); processes | ${mib(f.afterReloads.master.rss)} (${mib(f.afterReloads.master.pss)}); ${f.afterReloads.processes} |`,
  ];
}

function mutuTable(r: FrontBenchResult): string[] {
  const m = r.mutu;
  const raw = r.nginx.filter((c) => c.shape === 'map').at(-1)!;
  const times = (s: ServeSample[]) => s.map((x) => x.ms);
  const did = (s: ServeSample[]) =>
    [...new Set(s.map((x) => (x.error ? 'failed' : `${x.changed}, ${x.reloaded.join(' and ') || 'nothing'}`)))].join('; ');
  const rawTotal = part(raw, 'totalMs');
  const paired = m.rawToggles.map((x) => x.totalMs);
  const poolRow = (label: string, s: PoolChange[], settled: string) => [
    `| ${label}: serveSite() returned | **${pair(times(s))}** | ${s.length} | ${did(s)} |`,
    `| … ${settled} | ${pair(s.map((x) => x.settledMs).filter(Number.isFinite))} | ${s.filter((x) => Number.isFinite(x.settledMs)).length} | ${s.some((x) => !Number.isFinite(x.settledMs)) ? 'others never: their files were put back' : ''} |`,
  ];
  return [
    '| serveSite(host) | median / p95 | n | files changed, reloaded |',
    '|---|---:|---:|---|',
    `| **disable or enable** (the site's map file) | **${pair(times(m.toggles))}** | ${m.toggles.length} | ${did(m.toggles)} |`,
    `| the same change of another site by the bench, just after Mutu's (write, whole \`nginx -t\`, reload) | ${pair(paired)} | ${paired.length} | 1, nginx |`,
    `| **Mutu adds** (difference of the medians / of the p95s) | **${ms(median(times(m.toggles)) - median(paired))} / ${ms(p95(times(m.toggles)) - p95(paired))}** | | |`,
    `| the raw change of the map shape at ${n(raw.sites)} sites, above (another moment, its own nginx) | ${pair(rawTotal)} | ${rawTotal.length} | 1, nginx |`,
    `| serveSite() with nothing to change | ${pair(times(m.noop))} | ${m.noop.length} | ${did(m.noop)} |`,
    ...(m.created.length ? poolRow('**new site** (Unix user, owners, pool and map)', m.created, 'until the site answers from its own PHP') : []),
    ...(m.destroyed.length ? poolRow('**destroyed site** (pool and map removed)', m.destroyed, "until PHP-FPM's reload is over") : []),
    `| answers that missed the change | ${m.wrong.length} | | |`,
  ];
}

function lookupTable(r: FrontBenchResult, sites: number): string[] {
  const l = r.lookup;
  if (!l) return [];
  const times = (s: ServeSample[]) => s.map((x) => x.ms);
  const did = (s: ServeSample[]) => [...new Set(s.map((x) => (x.error ? 'failed' : `${x.changed}, ${x.reloaded.join(' and ') || 'nothing'}`)))].join('; ');
  const us = (x: number) => `${(x * 1000).toFixed(0)} µs`;
  return [
    '',
    `#### The files lookup (nginx's js module) at ${n(sites)} sites`,
    '',
    `- ${n(l.hostFiles)} host files and site lists written in ${ms(l.hostFilesMs)}; farm.conf switched from the map (setupFront(): whole \`nginx -t\`, one reload) in ${ms(l.switchMs)}`,
    `- nginx's master and workers ${l.nginxUntouched ? 'were the same processes after every change (no reload)' : '**changed during the changes (a reload)**'}`,
    '',
    '| serveSite(host) | map: median / p95 | files: median / p95 | files changed, reloaded (map; files) |',
    '|---|---:|---:|---|',
    `| **disable or enable** | ${pair(times(r.mutu.toggles))} | **${pair(times(l.toggles))}** | ${did(r.mutu.toggles)}; ${did(l.toggles)} |`,
    `| with nothing to change | ${pair(times(r.mutu.noop))} | ${pair(times(l.noop))} | ${did(r.mutu.noop)}; ${did(l.noop)} |`,
    `| answers that missed the change | ${r.mutu.wrong.length} | ${l.wrong.length} | |`,
    '',
    `Cost per request: ${n(l.requests[0]?.requests ?? 0)} sequential GETs per row on one kept-alive connection, each answer checked, in alternating halves (map, files, map, files: farm.conf switched each time; 20 requests before each half not counted); CPU of nginx's workers from /proc (10 ms steps over each half).`,
    '',
    '| lookup, request | req/s | p50 / p95 | nginx workers\' CPU per request | errors |',
    '|---|---:|---:|---:|---:|',
    ...l.requests.map((q) => `| ${q.lookup}, ${q.kind} | ${((q.requests / q.wallMs) * 1000).toFixed(0)} | ${pair(q.latencies)} | ${us(q.workerCpuMs / q.requests)} | ${q.errors} |`),
  ];
}

function piecesTable(r: FrontBenchResult): string[] {
  const total = r.mutu.pieces.reduce((a, p) => a + p.ms, 0);
  return [
    '| part of serveSite() before any file is written | mean |',
    '|---|---:|',
    ...r.mutu.pieces.map((p) => `| ${p.label} | ${ms(p.ms)} |`),
    `| **sum** | **${ms(total)}** |`,
  ];
}

function failures(r: FrontBenchResult): string[] {
  const lines: string[] = [];
  for (const [what, list] of [['creating', r.mutu.created], ['destroying', r.mutu.destroyed]] as const) {
    for (const c of list) {
      if (!c.error) continue;
      lines.push(`- ${what} a site: serveSite() failed after ${ms(c.ms)}: ${c.error.split('\n')[0]}`);
      if (c.retry) lines.push(`  - called again (a job's retry): ${c.retry.error ? `failed: ${c.retry.error.split('\n')[0]}` : `${c.retry.changed} files changed, reloaded ${c.retry.reloaded.join(' and ') || 'nothing'}`}`);
      if ('nginxReloadedByBench' in c && c.nginxReloadedByBench) lines.push('  - the site still did not answer once PHP-FPM had its pool: the bench reloaded nginx itself');
    }
  }
  return lines;
}

export function renderFrontReport(r: FrontBenchResult, run: FrontRunInfo): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const wrong = [...r.nginx.flatMap((c) => c.wrong.map((w) => `${c.shape}, ${c.sites}: ${w}`)), ...r.mutu.wrong.map((w) => `Mutu: ${w}`), ...(r.lookup?.wrong ?? []).map((w) => `files lookup: ${w}`)];
  return [
    `### Front at ${n(run.args.sites)} sites, ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    machine(r),
    `- load average before ${load(run.loadBefore)}, after ${load(run.loadAfter)}; whole run ${ms(run.durationMs)}`,
    `- registry filled with ${n(run.args.sites)} sites (and their \`www.\` aliases) in ${ms(r.fillMs)}; Mutu's map files (${mib(r.mapBytes)}) and pools (${mib(r.fpmIdle.poolBytes)}) rendered and written in ${ms(r.filesMs)}`,
    `- nginx: \`worker_processes auto\`; ${run.args.changes} changes timed per case after 2 not counted, each closing a site (503) or opening it again (its PHP answers); memory from /proc/<pid>/status (VmRSS) and smaps_rollup (Pss)`,
    '',
    '#### nginx: one site\'s change',
    '',
    ...nginxTable(r.nginx),
    '',
    `#### PHP-FPM ${r.versions[1]?.match(/PHP (\S+)/)?.[1] ?? ''} with ${n(r.fpmIdle.pools)} idle pools (pm = ondemand)`,
    '',
    ...fpmTable(r),
    '',
    `#### Mutu's serveSite() at ${n(run.args.sites)} sites`,
    '',
    ...mutuTable(r),
    '',
    ...piecesTable(r),
    ...lookupTable(r, run.args.sites),
    ...(failures(r).length ? ['', 'Failures:', ...failures(r)] : []),
    ...(wrong.length ? ['', 'Answers that missed the change:', ...wrong.slice(0, 20).map((w) => `- ${w}`)] : []),
  ].join('\n');
}
