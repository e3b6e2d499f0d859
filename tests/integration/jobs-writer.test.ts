import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { waitFor } from '../fixtures/wait';
import sql from 'sql-template-tag';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { readLog } = await import('@/lib/jobs/queue');
const { JobWriter, LINGER_MS, notMatched } = await import('@/lib/jobs/job-writer');

async function runningJob() {
  return db.job.create({ data: { kind: 'test.writer', status: 'running', target: 'writer.example.org' } });
}
const lines = async (id: string) => (await readLog(id)).lines.map((l) => l.message);

describe("a running job's writes", () => {
  it('keeps its progress for its next write, and its log lines for its end, in the order said, with the time said', async () => {
    const job = await runningJob();
    // Lines that wait longer than any registry round trip of a loaded machine: what is seen is what the writes carried.
    const writer = new JobWriter(job.id, 60_000);
    try {
      writer.log('one');
      writer.log('two', 'warn');
      writer.progress(0.4, 'two of five');
      const said = Date.now();
      expect(await lines(job.id)).toEqual([]);

      await writer.write({ step: 'next', stepIndex: 1 });
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ step: 'next', stepIndex: 1, progress: 0.4, progressText: 'two of five' });
      expect(await lines(job.id)).toEqual([]);

      await writer.write({ status: 'succeeded' }, {}, { lines: true });
      const log = (await readLog(job.id)).lines;
      expect(log.map((l) => [l.level, l.message])).toEqual([
        ['info', 'one'],
        ['warn', 'two'],
      ]);
      for (const l of log) expect(new Date(l.at).getTime()).toBeLessThanOrEqual(said);
    } finally {
      writer.dispose();
    }
  });

  it('writes a line alone when no write comes within the linger time', async () => {
    const job = await runningJob();
    const writer = new JobWriter(job.id);
    try {
      writer.log('alone');
      writer.progress(0.7);
      const row = await waitFor('the line to be written', async () => ((await lines(job.id)).length ? db.job.findUniqueOrThrow({ where: { id: job.id } }) : null), LINGER_MS * 20);
      expect(await lines(job.id)).toEqual(['alone']);
      expect(row.progress).toBe(0.7);
    } finally {
      writer.dispose();
    }
  });

  it('writes nothing when the job no longer matches, and keeps what waits for the next write', async () => {
    const job = await runningJob();
    const writer = new JobWriter(job.id, 60_000);
    try {
      await db.job.update({ where: { id: job.id }, data: { cancelRequested: true } });
      writer.log('before the refusal');
      writer.progress(0.5);
      const refused = await writer.write({ step: 'never', stepIndex: 3 }, { cancelRequested: false }, { lines: true }).catch((err: unknown) => err);
      expect(notMatched(refused)).toBe(true);
      expect(await lines(job.id)).toEqual([]);
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ step: null, stepIndex: 0, progress: 0 });

      writer.log('after it');
      await writer.write({ status: 'undoing' }, {}, { lines: true });
      expect(await lines(job.id)).toEqual(['before the refusal', 'after it']);
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'undoing', progress: 0.5 });
    } finally {
      writer.dispose();
    }
  });

  it("records a step with its own writes in one commit: both or neither, and neither once a cancel was asked", async () => {
    const job = await runningJob();
    const writer = new JobWriter(job.id, 60_000);
    const setting = (key: string) => db.setting.findUnique({ where: { key } });
    const insert = (key: string) => sql`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (${key}, 'v', ${new Date()})`;
    try {
      writer.progress(0.3);
      const failed = await writer
        .recordStepWith('half', 2, { mark: 1 }, async ({ execute }) => {
          await execute(insert('written-then-undone'));
          throw new Error('the step failed between its writes');
        })
        .catch((err: unknown) => err);
      expect(failed).toMatchObject({ message: 'the step failed between its writes' });
      expect(await setting('written-then-undone')).toBeNull();
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ step: null, stepIndex: 0, progress: 0, state: {} });

      const recorded = await writer.recordStepWith('whole', 3, { mark: 2 }, async ({ execute }) => execute(insert('with-its-step')));
      expect(recorded).toEqual({ value: 1 });
      expect(await setting('with-its-step')).not.toBeNull();
      // The progress that waited went with it (it waited through the failed attempt).
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ step: 'whole', stepIndex: 3, progress: 0.3, state: { mark: 2 } });

      await db.job.update({ where: { id: job.id }, data: { cancelRequested: true } });
      let ran = false;
      const refused = await writer.recordStepWith('cancelled', 4, {}, async () => {
        ran = true;
      });
      expect(refused).toBeUndefined();
      expect(ran).toBe(false);

      // Nor once another worker owns the job.
      await db.job.update({ where: { id: job.id }, data: { cancelRequested: false, workerId: 'the-new-owner' } });
      expect(await writer.recordStepWith('lost', 5, {}, async () => (ran = true), 'the-old-owner')).toBeUndefined();
      expect(ran).toBe(false);
      expect(await writer.recordStepWith('owned', 5, {}, async () => 'ran', 'the-new-owner')).toEqual({ value: 'ran' });
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ step: 'owned', stepIndex: 5 });
    } finally {
      writer.dispose();
    }
  });
});
