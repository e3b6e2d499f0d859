import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import type { Job } from '@prisma/client';
import { db } from '../../db/client';
import { cancelJob, readLog } from '../../jobs/queue';
import { JOB_STATUSES } from '../../jobs/query';
import { formatPercent } from '../../domain/format';
import { FINISHED_STATUSES, type JobStatus } from '../../jobs/types';
import { CliError, cliActor, humanDate, positiveInteger, printJson, printTable, requireRegistry } from '../output';
import { NODE_OPTION, workerOnlyAction } from './serve';

const FOLLOW_INTERVAL_MS = 1000;

type LogLine = Awaited<ReturnType<typeof readLog>>['lines'][number];

const isFinished = (status: string) => (FINISHED_STATUSES as string[]).includes(status);

async function findJob(id: string): Promise<Job> {
  const job = await db.job.findUnique({ where: { id } });
  if (!job) throw new CliError(`no job has the id ${id}; \`mutu jobs list\` shows the recent ones`);
  return job;
}


function printJob(job: Job) {
  const fields: [string, string | number | null][] = [
    ['Job', job.id],
    ['Kind', job.kind],
    ['Target', job.target],
    ['Status', job.status + (job.cancelRequested && !isFinished(job.status) ? ' (cancel requested)' : '')],
    ['Step', job.step],
    ['Progress', formatPercent(job.progress) + (job.progressText ? `  ${job.progressText}` : '')],
    ['Attempts', job.attempts],
    ['Worker', job.workerId],
    ['Created', humanDate(job.createdAt)],
    ['Started', humanDate(job.startedAt)],
    ['Finished', humanDate(job.finishedAt)],
    ['Heartbeat', job.finishedAt ? null : humanDate(job.heartbeatAt)],
    ['Error', job.error],
  ];
  for (const [label, value] of fields) {
    if (value !== null && value !== '-') console.log(`${label.padEnd(10)}${value}`);
  }
}

const printLogLine = (l: LogLine) =>
  console.log(`${l.at.slice(11, 19)}  ${l.level.padEnd(5)}  ${l.message}`);

/** All log lines after `cursor`, page by page; returns the new cursor. */
async function printLogFrom(jobId: string, cursor: number, print: (l: LogLine) => void): Promise<number> {
  for (;;) {
    const page = await readLog(jobId, cursor);
    page.lines.forEach(print);
    if (page.cursor === cursor) return cursor;
    cursor = page.cursor;
  }
}

async function showJob(id: string, opts: { json?: boolean; follow?: boolean }) {
  let job = await findJob(id);
  const lines: LogLine[] = [];
  const print = opts.json ? (l: LogLine) => void lines.push(l) : printLogLine;
  if (!opts.json) {
    printJob(job);
    console.log('\nLog:');
  }
  let cursor = await printLogFrom(id, 0, print);
  while (opts.follow && !isFinished(job.status)) {
    await sleep(FOLLOW_INTERVAL_MS);
    job = await findJob(id);
    // Read after the status, so the lines written before the job finished are all shown.
    cursor = await printLogFrom(id, cursor, print);
  }
  if (opts.json) printJson({ job, log: lines });
  else if (opts.follow) {
    console.log(`\nJob ${job.status}${job.error ? `: ${job.error}` : ''} (${humanDate(job.finishedAt)}).`);
  }
  if (opts.follow && job.status !== 'succeeded') process.exitCode = 1;
}

export function defineJobs(jobs: Command): void {

  jobs
    .command('list')
    .description('list the newest jobs first')
    .hook('preAction', requireRegistry)
    .addOption(new Option('--status <status>', 'only jobs with this status').choices(JOB_STATUSES))
    .option('--kind <kind>', 'only jobs of this kind, e.g. maintenance.prune')
    .option('--limit <n>', 'how many jobs to show (1 to 1000)', positiveInteger(1000), 50)
    .option('--json', 'print the list as JSON')
    .action(async (opts: { status?: JobStatus; kind?: string; limit: number; json?: boolean }) => {
      const rows = await db.job.findMany({
        where: { status: opts.status, kind: opts.kind },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: opts.limit,
      });
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((j) => ({
          id: j.id,
          kind: j.kind,
          target: j.target,
          status: j.status,
          step: j.step,
          progress: formatPercent(j.progress),
          created: humanDate(j.createdAt),
        })),
        ['id', 'kind', 'target', 'status', 'step', 'progress', 'created'],
        'No jobs match.',
      );
      if (rows.length === opts.limit) console.log(`(the newest ${opts.limit}; --limit shows more)`);
    });

  jobs
    .command('show')
    .description("show a job's fields and its log")
    .argument('<id>', 'the job id (from `mutu jobs list`)')
    .option('--json', 'print the job and its log as JSON (with --follow: once the job has finished)')
    .option('--follow', 'keep printing new log lines until the job finishes; exit 0 if it succeeded, 1 otherwise')
    .hook('preAction', requireRegistry)
    .action(showJob);

  jobs
    .command('cancel')
    .description('cancel a job: a queued one at once, a running one is stopped and undone by its worker')
    .hook('preAction', requireRegistry)
    .argument('<id>', 'the job id (from `mutu jobs list`)')
    .action(async (id: string) => {
      const job = await findJob(id);
      const outcome = await cancelJob(cliActor(), id);
      if (outcome === 'finished') throw new CliError(`job ${id} has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}; nothing to cancel`);
      if (outcome === 'cancelled') console.log(`Cancelled job ${id} (${job.kind}); it had not started.`);
      else console.log(`Cancel requested: its worker stops job ${id} and undoes what it did. Follow it with \`mutu jobs show ${id} --follow\`.`);
    });

  jobs
    .command('worker')
    .description('run the job worker alone, in the foreground (same as `mutu worker`)')
    .option(...NODE_OPTION)
    .action(workerOnlyAction);
}
