import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { useTestFarm } from '../helpers/registry';
import { waitFor } from '../fixtures/wait';

// A worker whose job another worker took over (its lease ran out: a process paused, a machine
// stalled) leaves that job to its new owner: no undo of its own, no end written over the owner's.
useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { defineJob } = await import('@/lib/jobs/types');
const { enqueue } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');

const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
const undone: string[] = [];
let holding = false;
const holdJob = defineJob({
  kind: 'test.lost-lease',
  params: z.object({}),
  onInterrupt: 'undo',
  steps: [
    {
      name: 'hold',
      async run(ctx) {
        holding = true;
        // Until the worker stops it: the job's lease is lost meanwhile.
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
      },
      async undo(ctx) {
        undone.push(ctx.job.id);
      },
    },
  ],
});
registerHandler(holdJob);

const workers: InstanceType<typeof Worker>[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

describe('a job another worker took over', () => {
  it('is left to its new owner: the old worker neither undoes it nor writes its end', async () => {
    const lines: string[] = [];
    // A heartbeat every 200 ms: the loss is seen at once.
    const worker = new Worker({ concurrency: 1, leaseSeconds: 0.6, pollMs: 50, say: (l) => lines.push(l) });
    workers.push(worker);
    await worker.start();
    const job = await enqueue(holdJob, {}, { actor, lockKey: 'lost-lease.example.org' });
    await waitFor('the job to hold', () => holding, 10_000);
    // What another worker's recovery does when this one's heartbeat is older than the lease.
    await db.job.update({ where: { id: job.id }, data: { workerId: 'other-host:1:abc', heartbeatAt: new Date() } });
    await waitFor('the worker to let the job go', () => lines.some((l) => l.includes(job.id) && l.includes('another worker')), 10_000);
    await waitFor('the worker to be idle', () => worker.activeJobs === 0, 10_000);
    expect(undone).toEqual([]);
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: 'running', workerId: 'other-host:1:abc', activeLock: 'lost-lease.example.org', finishedAt: null, error: null });
  });
});
