// Job pickup latency: from a job queued (its row's createdAt) to a free worker starting it (its
// startedAt), with the default poll of 1 s kept as the fallback only. Three setups:
//   sqlite-beside   SQLite registry, the worker in the process that queues (as `mutu start` runs it): in-process signal
//   sqlite-apart    SQLite registry, the worker in another process (`mutu worker`, a CLI queues): the watched wake file
//   postgres-apart  PostgreSQL registry, the worker in another process: LISTEN/NOTIFY
// usage: node --import tsx bench/pickup.ts [--jobs N] [--setups sqlite-beside,sqlite-apart,postgres-apart]
// PostgreSQL: a throwaway database on MUTU_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { isolate } from './lib/isolate';
import { throwawayDatabase } from './lib/postgres';
import { median, ms, p95 } from './lib/stats';

const SETUPS = ['sqlite-beside', 'sqlite-apart', 'postgres-apart'] as const;
type Setup = (typeof SETUPS)[number];
const KIND = 'bench.noop';
const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const noop = { kind: KIND, params: z.object({}), onInterrupt: 'undo' as const, steps: [{ name: 'nothing', run: async () => {} }] };

async function registerNoop() {
  const { registerHandler } = await import('../lib/jobs/registry');
  registerHandler(noop);
}

/** `--worker`: a worker process of its own, polling every second as deployed. */
async function workerProcess() {
  await registerNoop();
  const { Worker } = await import('../lib/jobs/worker');
  const worker = new Worker({ concurrency: 1, leaseSeconds: 60, say: (line) => console.log(line) });
  await worker.start();
  process.on('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
}

async function measure(setup: Setup, jobs: number): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-pickup-'));
  const throwaway = setup === 'postgres-apart' ? await throwawayDatabase() : undefined;
  const registry = throwaway?.url;
  isolate(dir, registry ? { MUTU_REGISTRY_URL: registry } : {});
  let child: ChildProcess | undefined;
  const { config } = await import('../lib/config');
  const { migrateRegistry } = await import('../lib/db/migrate');
  const { db, disconnectDb } = await import('../lib/db/client');
  const { enqueue } = await import('../lib/jobs/queue');
  try {
    await migrateRegistry(config());
    let stop = async () => {};
    if (setup === 'sqlite-beside') {
      await registerNoop();
      const { Worker } = await import('../lib/jobs/worker');
      const worker = new Worker({ concurrency: 1, leaseSeconds: 60 });
      await worker.start();
      stop = () => worker.stop();
    } else {
      child = spawn(process.execPath, ['--import', 'tsx', self, '--worker'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
        child!.on('exit', (code) => reject(new Error(`the worker process exited (${code})`)));
      });
    }
    const pickups: number[] = [];
    const actor = { source: 'cli', ip: 'cli', email: 'cli:bench' } as const;
    for (let i = 0; i < jobs + 5; i++) {
      // Jobs arrive at any moment of the worker's poll cycle, on an idle worker.
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 200));
      const job = await enqueue(noop, {}, { actor });
      for (;;) {
        const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, startedAt: true, createdAt: true } });
        if (row.status === 'succeeded') {
          if (i >= 5) pickups.push(row.startedAt!.getTime() - row.createdAt.getTime()); // the first five warm up
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await stop();
    return pickups;
  } finally {
    child?.kill('SIGTERM');
    await disconnectDb();
    await throwaway?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--worker')) await workerProcess();
else if (process.argv.includes('--setup')) {
  // One setup per process, so each starts from a fresh configuration and registry client.
  const pickups = await measure(arg('setup', '') as Setup, Number(arg('jobs', '100')));
  console.log(JSON.stringify(pickups));
  process.exit(0);
} else {
  const jobs = Number(arg('jobs', '100'));
  const setups = arg('setups', SETUPS.join(',')).split(',') as Setup[];
  const lines = [`Job pickup latency (queued to started), ${jobs} jobs per setup, poll fallback every 1 s; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`, '', '| setup | wake | p50 | p95 | max |', '|---|---|---|---|---|'];
  const wake: Record<Setup, string> = { 'sqlite-beside': 'in-process signal', 'sqlite-apart': 'watched file', 'postgres-apart': 'LISTEN/NOTIFY' };
  for (const setup of setups) {
    const out = await new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', self, '--setup', setup, '--jobs', String(jobs)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      c.stdout.on('data', (d) => (text += d));
      c.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${setup} failed (${code})`))));
    });
    const pickups = JSON.parse(out.trim().split('\n').pop()!) as number[];
    lines.push(`| ${setup} | ${wake[setup]} | ${ms(median(pickups))} | ${ms(p95(pickups))} | ${ms(Math.max(...pickups))} |`);
  }
  const report = lines.join('\n');
  console.log(report);
  const results = path.join(root, 'bench', 'results');
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, `pickup-${new Date().toISOString().replace(/[:.]/g, '-')}.md`), report + '\n');
}
