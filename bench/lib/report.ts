import fs from 'node:fs';
import os from 'node:os';
import type { Engine } from './args';
import { PHASE, type SiteSample } from './recorder';
import { mean, median, ms, p95, ratio, share } from './stats';

export interface EngineResult {
  engine: Engine;
  /** e.g. "MariaDB/MySQL 10.11.19-MariaDB-0+deb12u1" */
  version: string;
  raw: number[];
  /** the statements with the site's folders made before and its connection file written after (createSiteWithFiles) */
  rawWithFiles: number[];
  /** job started at once: the worker nudged right after the request */
  atOnce: SiteSample[];
  /** as deployed: the job waits for the worker's next poll (requests arrive at a random moment) */
  asDeployed: SiteSample[];
  /** at-once samples whose pick-up still took more than half a poll interval */
  lostNudges: number;
}

export interface RunInfo {
  date: Date;
  sites: number;
  /** sites per engine run first and not counted */
  warmup: number;
  pollMs: number;
  loadBefore: number[];
  loadAfter: number[];
  durationMs: number;
}

const ENGINE_TITLE: Record<Engine, string> = { sqlite: 'SQLite', mysql: 'MariaDB', postgresql: 'PostgreSQL' };

const PHASE_LABEL: Record<string, string> = {
  [PHASE.request]: 'request: site, alias, job and log rows in one transaction, then the audit row',
  [PHASE.pickup]: 'pick-up: claim, `started` log line, cancel check, step recorded',
  [PHASE.step('reserve')]: 'step reserve (a log line)',
  [PHASE.step('folders')]: 'step folders (SPIP set, state saved, log, progress)',
  [PHASE.step('database')]: 'step database (names reserved, database and user created)',
  [PHASE.step('config')]: 'step config (config/connect.php)',
  [PHASE.step('webmaster')]: 'step webmaster (none asked here)',
  [PHASE.step('activate')]: 'step activate',
  [PHASE.between]: 'worker bookkeeping between steps (cancel check, step recorded)',
  [PHASE.onEnd]: 'closing hook: audit row, mail to the admins (outbox)',
  [PHASE.closing]: '`succeeded` log line, job row closed, bench notices (≤ 1 ms)',
};

const pair = (values: number[]) => `${ms(median(values))} / ${ms(p95(values))}`;
const totals = (samples: SiteSample[]) => samples.map((s) => s.totalMs);
const over = (mutu: number, raw: number) => `+${ms(mutu - raw)} (${ratio(mutu, raw)})`;

function machine(results: EngineResult[]): string[] {
  const cpus = os.cpus();
  let distro = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) distro = `${pretty}, Linux ${os.release()}`;
  } catch {}
  return [
    `- ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${distro}`,
    `- Node ${process.version}; ${results.map((r) => r.version).join('; ')}`,
  ];
}

function summary(results: EngineResult[], run: RunInfo): string[] {
  const head = `| per site | ${results.map((r) => ENGINE_TITLE[r.engine]).join(' | ')} |`;
  const rule = `|---|${results.map(() => '---:').join('|')}|`;
  const row = (label: string, cell: (r: EngineResult) => string) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  return [
    head,
    rule,
    row('raw statements alone, median / p95', (r) => pair(r.raw)),
    row('**Mutu, job started at once**, median / p95', (r) => pair(totals(r.atOnce))),
    row('overhead at once, median', (r) => over(median(totals(r.atOnce)), median(r.raw))),
    row('overhead at once, p95', (r) => over(p95(totals(r.atOnce)), p95(r.raw))),
    row("raw statements with the site's folders and connection file (mkdir, write), median / p95", (r) => pair(r.rawWithFiles)),
    row('overhead at once over that, median', (r) => over(median(totals(r.atOnce)), median(r.rawWithFiles))),
    row("… Mutu's CPU (user + system, this process) at once, median / mean", (r) => `${ms(median(r.atOnce.map((s) => s.cpuMs)))} / ${ms(mean(r.atOnce.map((s) => s.cpuMs)))}`),
    row(`**Mutu as deployed** (worker polls every ${ms(run.pollMs)}), median / p95`, (r) => pair(totals(r.asDeployed))),
    row('overhead as deployed, median', (r) => over(median(totals(r.asDeployed)), median(r.raw))),
    row('… of which waiting for the poll (job created → claimed), median / p95', (r) =>
      pair(r.asDeployed.map((s) => s.queueWaitMs ?? NaN).filter(Number.isFinite)),
    ),
  ];
}

function phaseOrder(samples: SiteSample[]): string[] {
  const seen = new Set<string>();
  for (const s of samples) for (const p of s.phases.keys()) seen.add(p);
  const steps = [...seen].filter((p) => p.startsWith('step:'));
  return [PHASE.request, PHASE.pickup, ...steps, PHASE.between, PHASE.onEnd, PHASE.closing].filter((p) => seen.has(p));
}

const costOf = (s: SiteSample, map: 'registry' | 'server', phase?: string) => {
  const entries = phase === undefined ? [...s[map].values()] : [s[map].get(phase) ?? { ms: 0, count: 0 }];
  return entries.reduce((a, c) => ({ ms: a.ms + c.ms, count: a.count + c.count }), { ms: 0, count: 0 });
};

const commitCell = (samples: SiteSample[], phase?: string) => {
  const n = mean(samples.map((s) => (phase === undefined ? [...s.commits.values()].reduce((a, b) => a + b, 0) : (s.commits.get(phase) ?? 0))));
  return n === 0 ? '' : Number.isInteger(n) ? String(n) : n.toFixed(1);
};

const costCell = (samples: SiteSample[], map: 'registry' | 'server', phase?: string) => {
  const costs = samples.map((s) => costOf(s, map, phase));
  const count = mean(costs.map((c) => c.count));
  if (count === 0) return '';
  return `${Number.isInteger(count) ? count : count.toFixed(1)} · ${ms(mean(costs.map((c) => c.ms)))}`;
};

/** Where the time of a site went, phase by phase: means, so the parts add up to the mean total. */
function breakdown(r: EngineResult): string[] {
  const samples = r.atOnce;
  const total = mean(totals(samples));
  const lines = [
    `#### ${ENGINE_TITLE[r.engine]}: where a site's time goes (job started at once, ${samples.length} sites)`,
    '',
    '| part | median | mean | share | registry statements (n · time) | of which commits (synced) | database server calls (n · time) | rest: Node, Prisma, files | CPU, mean |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const phase of phaseOrder(samples)) {
    const values = samples.map((s) => s.phases.get(phase) ?? 0);
    const rest = mean(samples.map((s) => (s.phases.get(phase) ?? 0) - costOf(s, 'registry', phase).ms - costOf(s, 'server', phase).ms));
    lines.push(
      `| ${PHASE_LABEL[phase] ?? phase} | ${ms(median(values))} | ${ms(mean(values))} | ${share(mean(values), total)} | ${costCell(samples, 'registry', phase)} | ${commitCell(samples, phase)} | ${costCell(samples, 'server', phase)} | ${ms(rest)} | ${ms(mean(samples.map((s) => s.cpu.get(phase) ?? 0)))} |`,
    );
  }
  const restTotal = mean(samples.map((s) => s.totalMs - costOf(s, 'registry').ms - costOf(s, 'server').ms));
  lines.push(
    `| **whole site** | ${ms(median(totals(samples)))} | ${ms(total)} | 100 % | ${costCell(samples, 'registry')} | ${commitCell(samples)} | ${costCell(samples, 'server')} | ${ms(restTotal)} | ${ms(mean(samples.map((s) => s.cpuMs)))} |`,
  );
  const reg = mean(samples.map((s) => costOf(s, 'registry').ms));
  const srv = mean(samples.map((s) => costOf(s, 'server').ms));
  lines.push(
    '',
    `Registry (SQLite) statements take ${share(reg, total)} of the mean, the database server's calls ${share(srv, total)} ` +
      `(raw statements alone: ${ms(mean(r.raw))} mean), the rest ${share(total - reg - srv, total)}.` +
      (r.lostNudges ? ` ${r.lostNudges} of the at-once jobs still waited for a poll (nudge lost while the worker was busy claiming).` : ''),
  );
  const methods = new Set(samples.flatMap((s) => [...s.serverMethods.keys()]));
  if (methods.size) {
    const order = ['connect', ...DRIVER_CALL_ORDER].filter((m) => methods.has(m));
    const cells = order.map((m) => {
      const costs = samples.map((s) => s.serverMethods.get(m) ?? { ms: 0, count: 0 });
      const n = mean(costs.map((c) => c.count));
      return `${m} ${Number.isInteger(n) ? n : n.toFixed(1)} × → ${ms(mean(costs.map((c) => c.ms)))}`;
    });
    lines.push('', `Database server calls per site (mean): ${cells.join(', ')}${methods.has('connect') ? ' (`connect`, the admin connection opened for the job, is part of the first call\'s time)' : ''}.`);
  }
  return lines;
}

const DRIVER_CALL_ORDER = ['ping', 'databaseExists', 'userExists', 'createDatabase', 'createUser', 'dropDatabase', 'dropUser', 'close'];

export function renderReport(results: EngineResult[], run: RunInfo): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  return [
    `### Provisioning time per engine, ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...machine(results),
    `- ${run.sites} sites per engine and per way of running, one after another, after ${run.warmup} not counted; load average before ${load(run.loadBefore)}, after ${load(run.loadAfter)}; whole run ${ms(run.durationMs)}`,
    '',
    ...summary(results, run),
    '',
    ...results.flatMap((r) => [...breakdown(r), '']),
  ].join('\n');
}
