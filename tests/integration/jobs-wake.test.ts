import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { fixtureArgs } from '../helpers/fixture-process';
import { waitFor } from '../fixtures/wait';
import { fileStepsHandler } from '../fixtures/file-steps-handler';
import { enqueue } from '@/lib/jobs/queue';
import { db } from '@/lib/db/client';

const farm = useTestFarm();
const projectRoot = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-wake-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a job queued by another process starts at once on an idle worker that polls once a minute', async () => {
  const kind = 'test.wake';
  child = spawn(process.execPath, fixtureArgs('idle-worker', kind), { cwd: projectRoot, env: farm.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitFor('the idle worker to start', () => {
    if (child!.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
    return output.includes('started');
  }, 60_000); // a new process loading Prisma: seconds on a loaded machine
  // Past its first look for work: from now on only a wake (or the poll, a minute away) starts a job.
  await new Promise((r) => setTimeout(r, 500));

  const job = await enqueue(fileStepsHandler({ kind, onInterrupt: 'undo' }), { dir }, { actor: { source: 'cli', ip: 'cli', email: 'cli:test' } });
  const queuedAt = Date.now();
  await waitFor('the job to succeed', async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === 'succeeded', 20_000);
  // Far below the minute the poll would have taken, whatever the load of the machine.
  expect(Date.now() - queuedAt).toBeLessThan(20_000);
  expect(fs.existsSync(path.join(dir, 'three.txt'))).toBe(true);
});

it('starts each job queued by another process within a second (median of ten), far from the minute its poll takes', async () => {
  // The worker of the test above, idle again: a SQLite registry wakes it through the watched
  // file, a PostgreSQL one through LISTEN/NOTIFY.
  const kind = 'test.wake';
  const pickups: number[] = [];
  for (let i = 0; i < 10; i++) {
    const jobDir = path.join(dir, `run-${i}`);
    fs.mkdirSync(jobDir);
    const job = await enqueue(fileStepsHandler({ kind, onInterrupt: 'undo' }), { dir: jobDir }, { actor: { source: 'cli', ip: 'cli', email: 'cli:test' } });
    await waitFor('the job to succeed', async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === 'succeeded', 20_000);
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    pickups.push(row.startedAt!.getTime() - row.createdAt.getTime());
  }
  pickups.sort((a, b) => a - b);
  expect(pickups[5], `queued to started, in ms: ${pickups.join(', ')}`).toBeLessThan(1000); // bench/pickup.ts measures the 50 ms goal
});
