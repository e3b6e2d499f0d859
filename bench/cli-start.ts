/**
 * How fast `mutu` starts: the command line against `node -e 0`, the floor of any Node program.
 *   node --import tsx bench/cli-start.ts [--runs N]
 * Each way is run N times, taken in turn (a drift of the machine touches all alike), after one
 * run of each not counted (the compiled command line is built then, as at install). Wall time
 * and CPU time (user + system) of the whole process, and its peak memory, from /usr/bin/time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ms, p95, ratio } from './lib/stats';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-cli-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUTU_'))) as NodeJS.ProcessEnv;
env.MUTU_DATA_DIR = dataDir;

const mutu = (...args: string[]) => [process.execPath, path.join(root, 'bin', 'mutu.js'), ...args];
const WAYS: { name: string; argv: string[] }[] = [
  { name: '`node -e 0` (floor)', argv: [process.execPath, '-e', '0'] },
  { name: '`mutu --help`', argv: mutu('--help') },
  { name: '`mutu sites list --json` (empty registry)', argv: mutu('sites', 'list', '--json') },
  { name: '`mutu doctor --json`', argv: mutu('doctor', '--json') },
];

interface Sample { wallMs: number; cpuMs: number; rssKb: number }
function once(argv: string[]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], { env, cwd: dataDir, encoding: 'utf8' });
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallMs: wall! * 1000, cpuMs: (user! + sys!) * 1000, rssKb: rss! };
}

// A registry to list: made by the command line itself, as on a fresh machine after `mutu start`.
const { migrateRegistry } = await import('../lib/db/migrate');
const { loadConfig } = await import('../lib/config');
await migrateRegistry(loadConfig({ ...env, MUTU_DATA_DIR: dataDir }));

const loadBefore = os.loadavg();
for (const w of WAYS) once(w.argv);
const samples = new Map<string, Sample[]>(WAYS.map((w) => [w.name, []]));
for (let i = 0; i < runs; i++) for (const w of WAYS) samples.get(w.name)!.push(once(w.argv));
const loadAfter = os.loadavg();

const floor = samples.get(WAYS[0]!.name)!;
const floorWall = median(floor.map((s) => s.wallMs));
const floorCpu = median(floor.map((s) => s.cpuMs));
console.log(`| what | wall median / p95 | CPU median | peak RSS | × node -e 0 (wall / CPU) |`);
console.log(`|---|---|---|---|---|`);
for (const w of WAYS) {
  const s = samples.get(w.name)!;
  const wall = median(s.map((x) => x.wallMs));
  const cpu = median(s.map((x) => x.cpuMs));
  console.log(`| ${w.name} | ${ms(wall)} / ${ms(p95(s.map((x) => x.wallMs)))} | ${ms(cpu)} | ${Math.round(median(s.map((x) => x.rssKb)) / 1024)} MB | ${ratio(wall, floorWall)} / ${ratio(cpu, floorCpu)} |`);
}
console.log(`\n${runs} runs of each; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
fs.rmSync(dataDir, { recursive: true, force: true });
