import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { waitFor } from '../fixtures/wait';

const farm = useTestFarm({ MUTU_TRASH_DAYS: '30' });
const { db } = await import('@/lib/db/client');
const { registerBuiltInHandlers } = await import('@/lib/jobs/handlers');
const { enqueueDueJobs, builtInSchedules } = await import('@/lib/jobs/schedule');
const { Worker } = await import('@/lib/jobs/worker');

registerBuiltInHandlers();
const worker = new Worker({ concurrency: 1, leaseSeconds: 5, pollMs: 50 });
await worker.start();
afterAll(() => worker.stop());

const trash = path.join(farm.dataDir, 'farm', 'trash');
const DAY = 86_400_000;

function trashFolder(name: string, ageDays: number) {
  const dir = path.join(trash, name);
  fs.mkdirSync(path.join(dir, 'IMG'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'IMG', 'a.jpg'), 'x');
  const when = new Date(Date.now() - ageDays * DAY);
  fs.utimesSync(dir, when, when);
  return dir;
}

describe('scheduled maintenance', () => {
  it('enqueues each scheduled job once per period, whatever the number of ticks', async () => {
    expect(await enqueueDueJobs(builtInSchedules)).toBe(builtInSchedules.length);
    expect(await enqueueDueJobs(builtInSchedules)).toBe(0);
    const job = await waitFor('the prune job', async () => {
      const j = await db.job.findFirst({ where: { kind: 'maintenance.prune' } });
      return j && ['succeeded', 'failed'].includes(j.status) ? j : null;
    });
    expect(job.status).toBe('succeeded');
  });

  it('empties the trash of folders older than MUTU_TRASH_DAYS and keeps the recent ones', async () => {
    const old = trashFolder('old.example.org-2026-01-01T00-00-00-000Z', 31);
    const recent = trashFolder('recent.example.org-2026-11-01T00-00-00-000Z', 29);
    // a link in the trash pointing at a folder outside: removed as a link, its target untouched
    const outside = fs.mkdtempSync(path.join(farm.dataDir, 'outside-'));
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep');
    fs.symlinkSync(outside, path.join(trash, 'link-to-outside'));
    const when = new Date(Date.now() - 40 * DAY);
    fs.lutimesSync(path.join(trash, 'link-to-outside'), when, when);

    const { enqueue } = await import('@/lib/jobs/queue');
    const { pruneHandler } = await import('@/lib/jobs/handlers/prune');
    const job = await enqueue(pruneHandler, { olderThanHours: 24 }, { actor: { source: 'system', ip: 'system' } });
    worker.nudge();
    const done = await waitFor('the prune job', async () => {
      const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return ['succeeded', 'failed'].includes(j.status) ? j : null;
    });
    expect(done.status).toBe('succeeded');
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(path.join(trash, 'link-to-outside'))).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });
});
