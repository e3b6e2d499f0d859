import { describe, expect, it } from 'vitest';
import { announceJobEnded, jobsEndedSoFar, untilJobEndsOr } from '@/lib/jobs/events';
import { readOnce } from '@/lib/jobs/read-once';
import type { JobContext } from '@/lib/jobs/types';

/*
 * What a job waits on and reads, between its steps and between its looks at others: a bulk
 * run's driver woken by a site's end even when it came during a look, and a step's registry
 * reads shared by the next steps of the same run of the job.
 */

const context = () => ({}) as JobContext<unknown>;

describe('waiting for a job of this process to end', () => {
  it('ends at once when a job ended since the watcher last looked', async () => {
    const seen = jobsEndedSoFar();
    announceJobEnded(); // during the look: nobody was waiting yet
    const started = performance.now();
    await untilJobEndsOr(5_000, undefined, seen);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('waits for the next end when none came since', async () => {
    const seen = jobsEndedSoFar();
    let over = false;
    const wait = untilJobEndsOr(5_000, undefined, seen).then(() => (over = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(over).toBe(false);
    announceJobEnded();
    await wait;
    expect(over).toBe(true);
  });

  it('waits its time when nothing ends', async () => {
    const started = performance.now();
    await untilJobEndsOr(60, undefined, jobsEndedSoFar());
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('a registry read made once per run of a job', () => {
  it('is shared by the steps of one run, not by another run of the job', async () => {
    let reads = 0;
    const read = async () => ++reads;
    const run = context();
    expect(await readOnce(run, 'site', read)).toBe(1);
    expect(await readOnce(run, 'site', read)).toBe(1);
    expect(await readOnce(run, 'platform:x', read)).toBe(2);
    // Taken up again after a crash: a fresh context reads the registry again.
    expect(await readOnce(context(), 'site', read)).toBe(3);
  });

  it('is made again after it failed', async () => {
    const run = context();
    let tries = 0;
    const read = async () => {
      if (++tries === 1) throw new Error('the registry cannot be reached');
      return 'site';
    };
    await expect(readOnce(run, 'site', read)).rejects.toThrow(/cannot be reached/);
    expect(await readOnce(run, 'site', read)).toBe('site');
    expect(tries).toBe(2);
  });
});
