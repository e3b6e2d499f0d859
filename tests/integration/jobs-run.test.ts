import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { fileStepsHandler, runsLog } from '../fixtures/file-steps-handler';
import { waitFor } from '../fixtures/wait';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { enqueue, readLog, cancelJob } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');
const { errorWordsIn } = await import('@/lib/jobs/job-error');
const { tell } = await import('@/lib/i18n/errors');

const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
const filesJob = fileStepsHandler({ kind: 'test.files', onInterrupt: 'undo' });
registerHandler(filesJob);

const workDirs: string[] = [];
function workDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-job-files-'));
  workDirs.push(dir);
  return dir;
}
afterAll(() => workDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const workers: InstanceType<typeof Worker>[] = [];
async function startWorker() {
  const worker = new Worker({ concurrency: 2, leaseSeconds: 2, pollMs: 50 });
  workers.push(worker);
  await worker.start();
  return worker;
}
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const finished = (id: string) =>
  waitFor(`job ${id} to finish`, async () => {
    const job = await db.job.findUniqueOrThrow({ where: { id } });
    return ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : null;
  });

const files = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const messages = async (id: string) => (await readLog(id)).lines.map((l) => l.message);

describe('jobs', () => {
  it('runs every step, ends succeeded at full progress, and keeps an ordered log readable by cursor', async () => {
    const dir = workDir();
    await startWorker();
    const queued = await enqueue(filesJob, { dir }, { actor, lockKey: 'ok.example.org' });
    const job = await finished(queued.id);

    expect(job).toMatchObject({ status: 'succeeded', progress: 1, error: null, activeLock: null, attempts: 1, step: null });
    expect(job.startedAt).toBeInstanceOf(Date);
    expect(job.finishedAt!.getTime()).toBeGreaterThanOrEqual(job.startedAt!.getTime());
    expect(files(dir)).toEqual(['one.txt', 'three.txt', 'two.txt']);

    const all = await messages(job.id);
    expect(all[0]).toBe('queued by tester@example.org (cli)');
    expect(all[1]).toMatch(/^started on /);
    expect(all.slice(2)).toEqual(['one done', 'two done', 'three done', 'succeeded']);

    // Paging with the cursor yields the same lines, each once, in order.
    const first = await readLog(job.id, 0, 2);
    expect(first.lines.map((l) => l.message)).toEqual(all.slice(0, 2));
    const rest = await readLog(job.id, first.cursor);
    expect(rest.lines.map((l) => l.message)).toEqual(all.slice(2));
    const none = await readLog(job.id, rest.cursor);
    expect(none).toEqual({ lines: [], cursor: rest.cursor });
    expect(rest.lines[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('undoes the steps already done, in reverse order, when a step fails', async () => {
    const dir = workDir();
    await startWorker();
    const queued = await enqueue(filesJob, { dir, failAt: 'three' }, { actor, lockKey: 'fail.example.org' });
    const job = await finished(queued.id);

    expect(job).toMatchObject({ status: 'failed', error: 'step three failed: disk full', activeLock: null });
    expect(files(dir)).toEqual([]);
    expect(runsLog(dir)).toEqual(['run one', 'run two', 'run three', 'undo three', 'undo two', 'undo one']);
    const log = await readLog(job.id);
    expect(log.lines.slice(-4).map((l) => [l.level, l.message])).toEqual([
      ['error', 'failed: step three failed: disk full'],
      ['info', 'undone: three'],
      ['info', 'undone: two'],
      ['info', 'undone: one'],
    ]);
  });

  it('refuses parameters its handler does not accept, without running a step', async () => {
    await startWorker();
    const queued = await enqueue(filesJob, { dir: 42 as unknown as string }, { actor });
    const job = await finished(queued.id);
    expect(job).toMatchObject({ status: 'failed', error: 'invalid job parameters: dir: Invalid input: expected string, received number' });
    // Nothing ran, so nothing is undone (an undo could not read those parameters either).
    expect((await messages(job.id)).slice(1)).toEqual([`failed: ${job.error}`]);
    // Its words beside the English: the job page says it in the reader's language (zod's own words kept as they are).
    const words = errorWordsIn(job.state);
    expect(words && tell('fr', words.words).replace(/\u00a0/g, ' ')).toBe('paramètres de tâche invalides : dir: Invalid input: expected string, received number');
  });

  it('cancels a queued job before any worker runs it', async () => {
    const dir = workDir();
    const queued = await enqueue(filesJob, { dir }, { actor });
    expect(await cancelJob(actor, queued.id)).toBe('cancelled');
    await (await startWorker()).lookedForWork();
    const job = await db.job.findUniqueOrThrow({ where: { id: queued.id } });
    expect(job).toMatchObject({ status: 'cancelled', attempts: 0, error: 'cancelled before it started' });
    expect(runsLog(dir)).toEqual([]);
    expect(await cancelJob(actor, queued.id)).toBe('finished');
    const audit = await db.auditEvent.findMany({ where: { action: 'job.cancel' } });
    expect(audit.some((e) => (e.details as { jobId?: string }).jobId === queued.id && e.actorEmail === 'tester@example.org')).toBe(true);
  });

  it('stops a running job on cancel, undoes what it did and ends cancelled', async () => {
    const dir = workDir();
    await startWorker();
    const queued = await enqueue(filesJob, { dir, waitAt: 'two' }, { actor, lockKey: 'cancel.example.org' });
    await waitFor('step two to start', () => fs.existsSync(path.join(dir, 'two.txt')));
    expect(await cancelJob(actor, queued.id)).toBe('requested');
    const started = Date.now();
    const job = await finished(queued.id);

    expect(Date.now() - started).toBeLessThan(5000); // seen by the next heartbeat (every lease / 3 = 0.7 s)
    expect(job).toMatchObject({ status: 'cancelled', error: 'cancelled', activeLock: null });
    expect(files(dir)).toEqual([]);
    expect(runsLog(dir)).toEqual(['run one', 'run two', 'undo two', 'undo one']);
    const all = await messages(job.id);
    expect(all).toContain('cancel requested by tester@example.org');
    expect(all.slice(-3)).toEqual(['cancelled: undoing what it did', 'undone: two', 'undone: one']);
  });
});
