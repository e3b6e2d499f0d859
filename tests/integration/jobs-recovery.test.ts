import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { fixtureArgs } from '../helpers/fixture-process';
import { fileStepsHandler, runsLog } from '../fixtures/file-steps-handler';
import { waitFor } from '../fixtures/wait';

const farm = useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { enqueue, readLog } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');

const projectRoot = path.resolve(import.meta.dirname, '../..');
const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
registerHandler(fileStepsHandler({ kind: 'test.crash-undo', onInterrupt: 'undo' }));
registerHandler(fileStepsHandler({ kind: 'test.crash-resume', onInterrupt: 'resume' }));

const workDirs: string[] = [];
function workDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-job-crash-'));
  workDirs.push(dir);
  return dir;
}
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  workDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const workers: InstanceType<typeof Worker>[] = [];
const workerLines: string[] = [];
async function startWorker(leaseSeconds: number) {
  const worker = new Worker({ concurrency: 2, leaseSeconds, pollMs: 50, say: (l) => workerLines.push(l) });
  workers.push(worker);
  await worker.start();
  return worker;
}
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const finished = (id: string, timeoutMs = 10_000) =>
  waitFor(`job ${id} to finish`, async () => {
    const job = await db.job.findUniqueOrThrow({ where: { id } });
    return ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : null;
  }, timeoutMs);

const messages = async (id: string) => (await readLog(id)).lines.map((l) => l.message);

/** Runs a job in a separate worker process, and SIGKILLs that process while step "two" hangs. */
async function crashDuringStepTwo(kind: string, onInterrupt: 'undo' | 'resume', dir: string) {
  const job = await enqueue(fileStepsHandler({ kind, onInterrupt }), { dir }, { actor, lockKey: `${onInterrupt}.example.org` });
  const child = spawn(process.execPath, fixtureArgs('crash-worker', kind, onInterrupt), {
    cwd: projectRoot,
    env: farm.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor('the child worker to reach step two', () => {
    if (child.exitCode !== null) throw new Error(`the crash worker exited early:\n${output}`);
    return fs.existsSync(path.join(dir, 'two.txt'));
  }, 20_000);
  const running = await db.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(running).toMatchObject({ status: 'running', step: 'two', stepIndex: 1, attempts: 1 });
  expect(running.workerId).toMatch(new RegExp(`^${os.hostname()}:${child.pid}:`));
  child.kill('SIGKILL');
  await exited; // reaped: its pid is gone
  return { job, childWorker: running.workerId! };
}

describe('recovery of jobs whose worker died', () => {
  it('undoes an "undo" job left running by a killed process, at once on start', async () => {
    const dir = workDir();
    const { job, childWorker } = await crashDuringStepTwo('test.crash-undo', 'undo', dir);
    const started = Date.now();
    await startWorker(60); // a long lease: recovery must not wait for it
    // Seconds, not the 60 s lease (half of it as margin for a loaded machine).
    const done = await finished(job.id, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);

    expect(done.status).toBe('failed');
    expect(done.error).toBe(`interrupted: its worker (${childWorker}) died during step "two"`);
    expect(done.activeLock).toBeNull();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.txt'))).toEqual([]);
    expect(runsLog(dir)).toEqual(['run one', 'run two', 'undo two', 'undo one']);
    const log = await messages(job.id);
    expect(log).toContain(`interrupted: its worker (${childWorker}) died during step "two"; undoing what it did`);
    expect(log.slice(-2)).toEqual(['undone: two', 'undone: one']);
    expect(workerLines.some((l) => l.includes(job.id) && l.includes('undoing'))).toBe(true);
  });

  it('resumes a "resume" job at the interrupted step and finishes it', async () => {
    const dir = workDir();
    const { job, childWorker } = await crashDuringStepTwo('test.crash-resume', 'resume', dir);
    const started = Date.now();
    await startWorker(60);
    const done = await finished(job.id, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);

    expect(done).toMatchObject({ status: 'succeeded', progress: 1, attempts: 2, error: null, activeLock: null });
    // Step one ran once; step two ran again after the crash.
    expect(runsLog(dir)).toEqual(['run one', 'run two', 'run two', 'run three']);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()).toEqual(['one.txt', 'three.txt', 'two.txt']);
    const log = await messages(job.id);
    expect(log).toContain(`interrupted: its worker (${childWorker}) died during step "two"; it will resume`);
    expect(log).toContain('resumed at step "two" (attempt 2)');
    expect(log.at(-1)).toBe('succeeded');
  });

  /** A job row as a worker on another machine would have left it, with files from steps one and two. */
  async function jobOfAnotherHost(dir: string, heartbeatAt: Date, kind = 'test.crash-undo') {
    for (const f of ['one', 'two']) fs.writeFileSync(path.join(dir, `${f}.txt`), 'x');
    const host = `remote-${path.basename(dir)}.example.org`;
    return db.job.create({
      data: {
        kind,
        status: 'running',
        params: { dir },
        lockKey: host,
        activeLock: host,
        target: host,
        step: 'two',
        stepIndex: 1,
        attempts: 1,
        workerId: 'otherhost:1:x',
        heartbeatAt,
        startedAt: heartbeatAt,
      },
    });
  }

  it('recovers a job of another host once its heartbeat is older than the lease', async () => {
    const dir = workDir();
    const job = await jobOfAnotherHost(dir, new Date(Date.now() - 10 * 60_000));
    await startWorker(2);
    const done = await finished(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('interrupted: its worker (otherhost:1:x) died during step "two"');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.txt'))).toEqual([]);
  });

  it('leaves alone a job whose worker on another host still beats, and takes it over when the beat stops', async () => {
    const dir = workDir();
    const job = await jobOfAnotherHost(dir, new Date());
    // The other host beats every half second until the checks below, however slow the worker's start.
    let lastBeat = job.heartbeatAt!;
    const beat = () => { lastBeat = new Date(); return db.job.update({ where: { id: job.id }, data: { heartbeatAt: lastBeat } }); };
    let beating = Promise.resolve();
    const beats = setInterval(() => { beating = beating.then(beat).then(() => undefined); }, 500);
    try {
      // Its recovery sweep at start and a look for work after: the job is seen, and left alone.
      await (await startWorker(3)).lookedForWork();
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'running', workerId: 'otherhost:1:x' });
      expect(runsLog(dir)).toEqual([]);
    } finally {
      clearInterval(beats);
      await beating;
    }
    // No more beats: the periodic sweep (every half lease) finds it once the 3 s lease is over.
    const done = await finished(job.id);
    expect(done.finishedAt!.getTime() - lastBeat.getTime()).toBeGreaterThanOrEqual(3000);
    expect(done.status).toBe('failed');
    expect(runsLog(dir)).toEqual(['undo two', 'undo one']);
  });

  it('leaves alone a running job of a live local process', async () => {
    const dir = workDir();
    const job = await jobOfAnotherHost(dir, new Date());
    await db.job.update({ where: { id: job.id }, data: { workerId: `${os.hostname()}:${process.ppid}:y` } });
    await (await startWorker(60)).lookedForWork();
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'running' });
    await db.job.update({ where: { id: job.id }, data: { status: 'failed', activeLock: null } });
  });
});
