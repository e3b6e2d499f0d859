import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { fileStepsHandler } from '../fixtures/file-steps-handler';
import { waitFor } from '../fixtures/wait';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { enqueue, cancelJob } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');

const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-job-locks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Each job's span, from the start of its first step to the end of its last, as seen by the steps. */
function recorder() {
  const events: { jobId: string; step: string; phase: 'start' | 'end'; at: number }[] = [];
  let running = 0;
  let maxRunning = 0;
  return {
    events,
    get maxRunning() {
      return maxRunning;
    },
    onStep(e: (typeof events)[number]) {
      events.push(e);
      if (e.step === 'one' && e.phase === 'start') maxRunning = Math.max(maxRunning, ++running);
      if (e.step === 'three' && e.phase === 'end') running--;
    },
    spans() {
      const spans = new Map<string, { start: number; end: number }>();
      for (const e of events) {
        if (e.step === 'one' && e.phase === 'start') spans.set(e.jobId, { start: e.at, end: Infinity });
        if (e.step === 'three' && e.phase === 'end') spans.get(e.jobId)!.end = e.at;
      }
      return spans;
    },
  };
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

const workers: InstanceType<typeof Worker>[] = [];
const workerLines: string[] = [];
async function startWorkers(count: number, concurrency: number, controlConcurrency?: number) {
  for (let i = 0; i < count; i++) {
    const worker = new Worker({ concurrency, controlConcurrency, leaseSeconds: 2, pollMs: 50, say: (l) => workerLines.push(l) });
    workers.push(worker);
    await worker.start();
  }
}
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  // Losing a claim race (including on a site's lock) is normal and must not surface as an error.
  expect(workerLines.filter((l) => /error|crashed|failed/.test(l))).toEqual([]);
});

async function allFinished(ids: string[]) {
  return waitFor(`${ids.length} jobs to finish`, async () => {
    const jobs = await db.job.findMany({ where: { id: { in: ids } } });
    return jobs.every((j) => ['succeeded', 'failed', 'cancelled'].includes(j.status)) ? jobs : null;
  }, 20_000);
}

describe('job scheduling', () => {
  it('never runs two jobs of one site at once, even with two workers, and runs each job exactly once', async () => {
    const rec = recorder();
    const locksJob = fileStepsHandler({ kind: 'test.locks', onInterrupt: 'undo', onStep: (e) => rec.onStep(e) });
    registerHandler(locksJob);
    const lockOf = new Map<string, string>();
    for (let i = 0; i < 10; i++) {
      const host = i % 2 ? 'a.example.org' : 'b.example.org';
      const job = await enqueue(locksJob, { dir, stepMs: 20 }, { actor, lockKey: host });
      lockOf.set(job.id, host);
    }
    // One job at a time per worker: the two sites can only progress side by side if both
    // workers take part (with more slots, the first worker started could hold both sites' jobs).
    await startWorkers(2, 1);
    const jobs = await allFinished([...lockOf.keys()]);

    expect(jobs.map((j) => j.status)).toEqual(Array(10).fill('succeeded'));
    expect(jobs.map((j) => j.attempts)).toEqual(Array(10).fill(1));
    for (const id of lockOf.keys()) {
      expect(rec.events.filter((e) => e.jobId === id && e.phase === 'start').map((e) => e.step)).toEqual(['one', 'two', 'three']);
    }
    const spans = [...rec.spans()];
    for (const [idA, a] of spans) {
      for (const [idB, b] of spans) {
        if (idA < idB && lockOf.get(idA) === lockOf.get(idB)) expect(overlap(a, b), `${idA} and ${idB} overlap`).toBe(false);
      }
    }
    // The two sites did progress side by side: the lock is per site, not global.
    expect(spans.some(([idA, a]) => spans.some(([idB, b]) => lockOf.get(idA) !== lockOf.get(idB) && overlap(a, b)))).toBe(true);
    // Both workers took part.
    expect(new Set(jobs.map((j) => j.workerId)).size).toBe(2);
  });

  it('runs at most `concurrency` jobs at once, and uses all of them', async () => {
    const rec = recorder();
    const concurrencyJob = fileStepsHandler({ kind: 'test.concurrency', onInterrupt: 'undo', onStep: (e) => rec.onStep(e) });
    registerHandler(concurrencyJob);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await enqueue(concurrencyJob, { dir, stepMs: 30 }, { actor })).id);
    await startWorkers(1, 3);
    const jobs = await allFinished(ids);
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect(rec.maxRunning).toBe(3);
  });

  it('keeps control jobs in their own lane: waiting drivers never hold a site slot, and have a limit of their own', async () => {
    const controlJob = { ...fileStepsHandler({ kind: 'test.control', onInterrupt: 'undo' }), lane: 'control' as const };
    const siteJob = fileStepsHandler({ kind: 'test.site-work', onInterrupt: 'undo' });
    registerHandler(controlJob);
    registerHandler(siteJob);
    const control = (n: number) => enqueue(controlJob, { dir: path.join(dir, `control-${n}`), waitAt: 'two' }, { actor });
    const drivers = [await control(1), await control(2), await control(3)];
    for (const d of drivers) fs.mkdirSync((d.params as { dir: string }).dir);
    await startWorkers(1, 1, 2);
    const status = async (id: string) => (await db.job.findUniqueOrThrow({ where: { id } })).status;
    await waitFor('two control jobs running', async () => (await db.job.count({ where: { id: { in: drivers.map((d) => d.id) }, status: 'running' } })) === 2);

    // Two control jobs wait, and the worker's only site slot is still free.
    const site = await enqueue(siteJob, { dir }, { actor });
    const [done] = await allFinished([site.id]);
    expect(done!.status).toBe('succeeded');
    expect(await Promise.all(drivers.map((d) => status(d.id)))).toEqual(['running', 'running', 'queued']);

    // The control lane's limit: the third starts when one of the first two ends.
    await cancelJob(actor, drivers[0]!.id);
    await waitFor('the third control job to start', async () => (await status(drivers[2]!.id)) === 'running');
    for (const d of drivers.slice(1)) await cancelJob(actor, d.id);
    await allFinished(drivers.map((d) => d.id));
  });
});
