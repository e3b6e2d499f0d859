import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, useProvisioning } from '../helpers/provision';
import { makePlatform, makeSite } from '../fixtures/upgrade-sites';
import { waitFor } from '../fixtures/wait';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { Worker } from '@/lib/jobs/worker';
import { runProgress } from '@/lib/upgrades/run-progress';
import { createUpgradeRun } from '@/lib/upgrades/runs';

/*
 * A bulk run's driver is a control job: it does not take one of the worker's site slots, and
 * the run's sites are admitted by the run's own concurrency, not the worker's. Before, on the
 * dashboard's worker (2 slots) the driver held one and a run asking for 4 ran one at a time.
 */

useTestFarm();
const p = useProvisioning();
const COMMAND_SECONDS = 2;

let worker: Worker | undefined;
afterAll(async () => worker?.stop());

let hosts: string[] = [];
let slow: Awaited<ReturnType<typeof makePlatform>>;

beforeAll(async () => {
  const v1 = await makePlatform('1', { command: false });
  slow = await makePlatform('2', { command: `sleep ${COMMAND_SECONDS}` });
  await p.startWorker();
  // canary (1), then 10 % of the rest (1), then the last 4 together
  hosts = (await Promise.all(Array.from({ length: 6 }, () => makeSite(p, 'sqlite', v1.name, 'lanes')))).map((s) => s.host);
  await p.stopWorkers();
}, 120_000);

/** The most jobs whose [start, end] overlap at one moment. */
function mostAtOnce(intervals: { start: number; end: number }[]): number {
  const events = intervals.flatMap((i) => [{ at: i.start, d: 1 }, { at: i.end, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of events) most = Math.max(most, (now += e.d));
  return most;
}

describe('a bulk run on the dashboard\'s default worker', () => {
  it('upgrades as many sites at once as the run asks, though the worker has fewer slots', async () => {
    expect(config().worker.concurrency).toBe(2); // the default of MUTU_WORKER_CONCURRENCY
    worker = new Worker({ concurrency: config().worker.concurrency, leaseSeconds: config().worker.leaseSeconds, pollMs: 100 });
    await worker.start();
    const { run } = await createUpgradeRun(adminActor, { hosts, to: slow.name }, { concurrency: 4, maxFailures: 0, canarySharePercent: 10 });
    const ended = await waitFor('the run to end', async () => {
      const progress = await runProgress(run.id);
      return progress && ['succeeded', 'failed', 'partial'].includes(progress.run.status) ? progress : null;
    }, 90_000, 100);
    expect(ended.run.status).toBe('succeeded');
    expect(ended.totals.succeeded).toBe(hosts.length);

    const jobs = await db.job.findMany({ where: { runId: run.id, kind: 'site.upgrade' }, select: { startedAt: true, finishedAt: true } });
    expect(jobs).toHaveLength(hosts.length);
    const intervals = jobs.map((j) => ({ start: j.startedAt!.getTime(), end: j.finishedAt!.getTime() }));
    expect(mostAtOnce(intervals)).toBe(4);
  }, 120_000);
});
