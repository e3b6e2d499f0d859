// Provisioning throughput across worker processes: N sites queued at once (generic platform, each
// site's database on the embedded SQLite, or with --sites-on mysql on MariaDB/MySQL, a database and
// its user per site, as issue 16 first measured it), then drained by W `mutu worker` processes of C slots
// each, timed from the first worker's start to the last site made (the housekeeping jobs a worker
// queues when it starts, measuring every site among them, run after them: not waited for). Setups:
//   sqlite     the default registry (one SQLite file), 1 then 2 worker processes
//   postgres   a PostgreSQL registry (a throwaway database), 1, 2 then 4 worker processes
// usage: node --import tsx bench/throughput.ts [--sites 200] [--concurrency 2] [--workers 1,2,4] [--sqlite-workers 1,2] [--sites-on sqlite|mysql] [--cpu-prof DIR]
// Beside the wall time, the workers' CPU time (user + system, from /proc) per site, counted from the
// first site ended (the workers' start-up left out): robust to the load others put on the machine.
// --cpu-prof DIR: each worker process writes a V8 CPU profile there (node --cpu-prof) when it stops.
// PostgreSQL: MUTU_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres); MariaDB for
// the sites: MUTU_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), its databases and users named
// mu_<tag>…, dropped at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolate } from './lib/isolate';
import { throwawayDatabase } from './lib/postgres';
import { ms } from './lib/stats';
import { cpuMs } from './lib/proc-cpu';
import { dropBenchObjects, type ServerTarget } from './lib/servers';
import { freeTag } from './lib/setup';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

type SitesOn = 'sqlite' | 'mysql';

interface Result {
  registry: 'sqlite' | 'postgres';
  sitesOn: SitesOn;
  workers: number;
  sites: number;
  seconds: number;
  failed: number;
  /** the workers' CPU (user + system, their children's included) per site after the first ended, ms */
  cpuMsPerSite: number;
}

/** One measure, in a process of its own (a fresh configuration and registry client). */
async function measure(registry: Result['registry'], workers: number, sites: number, concurrency: number, sitesOn: SitesOn): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-throughput-'));
  const throwaway = registry === 'postgres' ? await throwawayDatabase() : undefined;
  const mysqlTarget: ServerTarget | undefined = sitesOn === 'mysql' ? { engine: 'mysql', url: process.env.MUTU_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' } : undefined;
  // The sites' databases and users are named after their hosts: mu_<tag>…, found and dropped by the tag.
  const tag = mysqlTarget ? await freeTag([mysqlTarget]) : 'b';
  const url = throwaway?.url;
  // The admins' mails go to the outbox folder; no front is set up (its steps say so and go on).
  isolate(dir, { ...(url ? { MUTU_REGISTRY_URL: url } : {}), MUTU_WORKER_CONCURRENCY: String(concurrency) });
  const { config } = await import('../lib/config');
  const { migrateRegistry } = await import('../lib/db/migrate');
  const { db, disconnectDb } = await import('../lib/db/client');
  const { requestSite } = await import('../lib/sites/request');
  const { addServer } = await import('../lib/databases/server-registry');
  const children: ChildProcess[] = [];
  try {
    await migrateRegistry(config());
    const actor = { source: 'cli', ip: 'cli', email: 'cli:bench' } as const;
    const server = mysqlTarget ? 'bench-mysql' : undefined;
    if (mysqlTarget) await addServer(actor, { name: server!, engine: 'mysql', url: mysqlTarget.url, password: '' });
    for (let i = 0; i < sites; i++) await requestSite(actor, { host: `${tag}s${i}.bench.example.org`, ...(server ? { server } : {}) });
    const started = performance.now();
    const profile = arg('cpu-prof', '');
    const nodeArgs = profile ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(root, profile)] : [];
    for (let w = 0; w < workers; w++) {
      const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin', 'mutu.js'), 'worker'], { cwd: dir, env: process.env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
    }
    const workersCpu = () => children.reduce((sum, c) => sum + cpuMs(c.pid!), 0);
    let first: { ended: number; cpu: number } | undefined;
    let cpu = 0;
    const provisions = { kind: 'site.provision' };
    for (;;) {
      const left = await db.job.count({ where: { ...provisions, status: { in: ['queued', 'running', 'undoing'] } } });
      cpu = workersCpu();
      if (!first && left < sites) first = { ended: sites - left, cpu };
      if (!left) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const failed = await db.job.count({ where: { ...provisions, status: { not: 'succeeded' } } });
    const cpuMsPerSite = first && sites > first.ended ? (cpu - first.cpu) / (sites - first.ended) : NaN;
    return { registry, sitesOn, workers, sites, seconds, failed, cpuMsPerSite };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await disconnectDb();
    await throwaway?.drop();
    if (mysqlTarget) await dropBenchObjects(mysqlTarget, tag);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--one')) {
  const r = await measure(arg('registry', 'sqlite') as Result['registry'], Number(arg('workers', '1')), Number(arg('sites', '200')), Number(arg('concurrency', '2')), arg('sites-on', 'sqlite') as SitesOn);
  console.log(JSON.stringify(r));
  process.exit(0);
} else {
  const sites = Number(arg('sites', '200'));
  const concurrency = Number(arg('concurrency', '2'));
  const setups: [Result['registry'], number][] = [
    ...arg('sqlite-workers', '1,2').split(',').map((w) => ['sqlite', Number(w)] as [Result['registry'], number]),
    ...arg('workers', '1,2,4').split(',').map((w) => ['postgres', Number(w)] as [Result['registry'], number]),
  ];
  const lines = [
    `Provisioning throughput: ${sites} sites queued (their databases on ${arg('sites-on', 'sqlite') === 'mysql' ? 'MariaDB/MySQL' : 'the embedded SQLite'}), then drained by worker processes of ${concurrency} slots; ${os.cpus().length} cores, load at start ${os.loadavg()[0]!.toFixed(1)}`,
    '',
    '| registry | worker processes | drained in | sites/s | workers\' CPU per site | failed |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [registry, workers] of setups) {
    const out = await new Promise<string>((resolve, reject) => {
      const profile = arg('cpu-prof', '');
      const c = spawn(process.execPath, ['--import', 'tsx', self, '--one', '--registry', registry, '--workers', String(workers), '--sites', String(sites), '--concurrency', String(concurrency), '--sites-on', arg('sites-on', 'sqlite'), ...(profile ? ['--cpu-prof', profile] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      c.stdout.on('data', (d) => (text += d));
      c.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${registry} × ${workers} failed (${code})`))));
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Result;
    lines.push(`| ${r.registry} | ${r.workers} | ${ms(r.seconds * 1000)} | ${(r.sites / r.seconds).toFixed(1)} | ${r.cpuMsPerSite.toFixed(1)} ms | ${r.failed} |`);
    console.log(lines.at(-1));
  }
  lines.push('', `load at end ${os.loadavg()[0]!.toFixed(1)}`);
  const report = lines.join('\n');
  console.log(report);
  const results = path.join(root, 'bench', 'results');
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, `throughput-${new Date().toISOString().replace(/[:.]/g, '-')}.md`), report + '\n');
}
