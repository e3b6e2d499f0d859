import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { useTestFarm } from '../helpers/registry';
import { waitFor } from '../fixtures/wait';
import { refusalOf } from '../helpers/refusal';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { defineJob } = await import('@/lib/jobs/types');
const { enqueue, readLog } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');
const { getJobSummary } = await import('@/lib/jobs/query');
const { assertSafePath } = await import('@/lib/domain/front');
const { tell, translatedError } = await import('@/lib/i18n/errors');
const { causeOf, quoting } = await import('@/lib/jobs/job-error');
const { formatWorkerLine } = await import('@/lib/domain/job-log-lines');
const { jobWords } = await import('@/lib/i18n/job-words');
const { catalogueTranslator } = await import('@/lib/i18n/messages');

const { siteEventMail } = await import('@/lib/texts/admin-mails');

/*
 * A failed job's error as people read it: Job.error and the log keep the English the command
 * line prints; Mutu's own refusal inside it keeps its catalogue words beside it (the job's
 * state), so the job page and the admins' mail say it in French; a tool's own words stay as
 * they are.
 */

const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
const ends: { error?: string; errorWords?: unknown }[] = [];

const failing = defineJob({
  kind: 'test.words',
  params: z.object({ refusal: z.enum(['mutu', 'tool', 'many']), undoFails: z.boolean().default(false) }),
  onInterrupt: 'undo',
  steps: [
    {
      name: 'folders',
      async run() {},
      async undo(ctx) {
        if (ctx.params.undoFails) throw new Error('EACCES: permission denied, rmdir /srv/x');
      },
    },
    {
      name: 'serve',
      async run(ctx) {
        // A refusal of Mutu's own rules, as the front raises it; or a tool's own words.
        if (ctx.params.refusal === 'mutu') assertSafePath('/srv/a b', 'site');
        if (ctx.params.refusal === 'many') {
          // A job over many sites (the backups, the renewals): one site's refusal logged, the job's error quoting it.
          const cause = causeOf(refusalOf(() => assertSafePath('/srv/a b', 'site')));
          await ctx.log(formatWorkerLine('backupFailed', { host: 'a.example.org', reason: cause.text }), 'error');
          throw quoting(translatedError((m) => new Error(m), 'serviceErrors.backupsFailed', { count: 1, hosts: 'a.example.org' }), [cause]);
        }
        throw new Error('nginx: [emerg] unexpected "}" in /etc/nginx/mutu/farm.conf:12');
      },
    },
  ],
  async onEnd(_ctx, outcome) {
    ends.push({ error: outcome.error, errorWords: outcome.errorWords });
  },
});
registerHandler(failing);

const workers: InstanceType<typeof Worker>[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  ends.length = 0;
});
async function run(params: z.input<typeof failing.params>) {
  const worker = new Worker({ concurrency: 1, leaseSeconds: 5, pollMs: 50 });
  workers.push(worker);
  await worker.start();
  const queued = await enqueue(failing, params, { actor });
  return waitFor(`job ${queued.id} to end`, async () => {
    const job = await db.job.findUniqueOrThrow({ where: { id: queued.id } });
    return ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : null;
  });
}

const ENGLISH = 'the site folder "/srv/a b" cannot go into the front\'s configuration: use a path of letters, digits and . _ - / only';
const FRENCH = 'le dossier du site «\u00a0/srv/a b\u00a0» ne peut pas entrer dans la configuration du frontal\u00a0: utilisez un chemin fait de lettres, de chiffres et de . _ - / seulement';

describe("a failed job's error in the reader's language", () => {
  it("keeps the English of a Mutu refusal in Job.error and its log, and its words beside it for the page and the mail", async () => {
    const job = await run({ refusal: 'mutu' });
    expect(job.status).toBe('failed');
    expect(job.error).toBe(ENGLISH);
    const log = (await readLog(job.id)).lines.map((l) => l.message);
    expect(log).toContain(`failed: ${ENGLISH}`);

    const summary = (await getJobSummary(job.id))!;
    expect(summary.error).toBe(ENGLISH);
    expect(summary.errorWords).not.toBeNull();
    expect(tell('en', summary.errorWords!.words)).toBe(ENGLISH);
    expect(tell('fr', summary.errorWords!.words)).toBe(FRENCH);
    // The log line quoting it is recognised by its English.
    expect(summary.errorWords!.quoted).toEqual([{ text: ENGLISH, words: summary.errorWords!.words }]);

    // The closing hook gets the words too: the admins' mail says it in each reader's language.
    expect(ends).toHaveLength(1);
    const facts = { host: 'a.example.org', error: ends[0]!.errorWords as never };
    expect(siteEventMail('failed', facts, 'fr').text).toContain(FRENCH);
    expect(siteEventMail('failed', facts, 'en').text).toContain(ENGLISH);
  });

  it("keeps the words of each site's refusal a job over many quoted in its log: its page says that line in French", async () => {
    const job = await run({ refusal: 'many' });
    expect(job.status).toBe('failed');
    expect(job.error).toBe('backup failed for 1 site: a.example.org');
    const log = (await readLog(job.id)).lines.map((l) => l.message);
    expect(log).toContain(`a.example.org: backup failed: ${ENGLISH}`);
    const summary = (await getJobSummary(job.id))!;
    expect(summary.errorWords!.quoted.map((q) => q.text)).toEqual([job.error, ENGLISH]);
    const words = jobWords(catalogueTranslator('fr'), () => true, summary.errorWords!.quoted, 'fr');
    expect(words.line(`a.example.org: backup failed: ${ENGLISH}`)).toBe(`a.example.org\u00a0: la sauvegarde a échoué\u00a0: ${FRENCH}`);
    expect(words.error(job.error!, summary.errorWords)).toBe('la sauvegarde a échoué pour 1 site\u00a0: a.example.org');
  });

  it("leaves a tool's own words as they are: no words are stored", async () => {
    const job = await run({ refusal: 'tool' });
    expect(job.error).toBe('nginx: [emerg] unexpected "}" in /etc/nginx/mutu/farm.conf:12');
    const summary = (await getJobSummary(job.id))!;
    expect(summary.errorWords).toBeNull();
    expect(ends[0]!.errorWords).toBeUndefined();
  });

  it('says an undo that failed after a refusal, the English as it always was, the tool part as it is', async () => {
    const job = await run({ refusal: 'mutu', undoFails: true });
    expect(job.status).toBe('failed');
    expect(job.error).toBe(`${ENGLISH}; then undo failed: folders: EACCES: permission denied, rmdir /srv/x (needs an admin)`);
    const summary = (await getJobSummary(job.id))!;
    expect(tell('en', summary.errorWords!.words)).toBe(job.error);
    expect(tell('fr', summary.errorWords!.words)).toBe(
      `${FRENCH}\u00a0; puis l’annulation a échoué\u00a0: dossiers\u00a0: EACCES: permission denied, rmdir /srv/x (un admin doit intervenir)`,
    );
  });
});
