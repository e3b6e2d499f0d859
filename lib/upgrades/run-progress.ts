import { type JobStatus, type Run, type RunStatus } from '@prisma/client';
import { db, queryRawNow } from '../db/client';
import { errorWordsIn, type JobErrorWords } from '../jobs/job-error';
import { waveOf, type LeftOut, type PlannedSite } from './run-plan';
import sql from 'sql-template-tag';

export const RUN_KIND = 'upgrade';

/** What a run was asked to do (Run.params). */
export type RunParams = {
  targetPlatformId: string;
  targetName: string;
  /** in English, for the command line, logs and mails; the dashboard words it from `match` or `listed` */
  selection: string;
  /** the host pattern, or how many hosts were listed (absent from runs made before they existed) */
  match?: string;
  listed?: number;
  concurrency: number;
  maxFailures: number;
  canarySharePercent: number;
  targets: PlannedSite[];
  leftOut: LeftOut[];
};

export type PauseWhy = { by: string } | { failures: number; allowed: number };

/** Where a run stands (Run.summary), written by the driver and by pause/resume/retry. */
export type RunSummary = {
  round: number;
  /** jobs queued before this time belong to earlier rounds: their failures are retried */
  roundStartedAt: string;
  /** failures of the round already forgiven by a resume */
  failureBase: number;
  /** sites that could not even be queued (changed since the plan), with why */
  skipped: Record<string, string>;
  lastMailedDecile: number;
  startMailed?: boolean;
  pausedReason?: string;
  /** why it paused, for the dashboard to say in its reader's language (pausedReason says it in English) */
  pause?: PauseWhy;
  totals?: RunTotals;
};

export type TargetState = 'pending' | 'queued' | 'running' | 'undoing' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface TargetProgress {
  siteId: string;
  host: string;
  from: string;
  wave: number;
  state: TargetState;
  jobId: string | null;
  step: string | null;
  error: string | null;
  /** the error's catalogue words, when it is a refusal of Mutu's (said in the reader's language) */
  errorWords: JobErrorWords | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** the worker that runs (or ran) its job, once claimed */
  workerId: string | null;
}

export type RunTotals = {
  total: number;
  pending: number;
  inFlight: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** sites finished, one way or another */
  done: number;
  /** failures counted against the failure budget */
  budgetFailures: number;
};

export const FINAL_RUN_STATUSES: RunStatus[] = ['succeeded', 'partial', 'failed', 'cancelled'];

// Written by Mutu alone (createRun, saveSummary), in these shapes.
export const runParams = (run: Pick<Run, 'params'>) => run.params as RunParams;
export const runSummary = (run: Pick<Run, 'summary'>) => run.summary as RunSummary;

export const IN_FLIGHT: TargetState[] = ['queued', 'running', 'undoing'];

/** A DateTime column read by raw SQL: ISO 8601 text on SQLite, a Date on PostgreSQL. */
const dateOf = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * The run's site jobs, oldest first, with what a target's state needs. Raw SQL handed to the driver
 * adapter: the run's driver reads them at every look, and Prisma's mapping of every job of a
 * large run cost more than the statement.
 */
async function runJobs(runId: string) {
  const rows = await queryRawNow<{ id: string; siteId: string | null; status: JobStatus; step: string | null; error: string | null; workerId: string | null; createdAt: string | Date; startedAt: string | Date | null; finishedAt: string | Date | null }>(sql`
    SELECT "id", "siteId", "status", "step", "error", "workerId", "createdAt", "startedAt", "finishedAt"
    FROM "Job" WHERE "runId" = ${runId} AND "kind" = ${'site.upgrade'} ORDER BY "createdAt" ASC`);
  return rows.map((j) => ({ ...j, createdAt: dateOf(j.createdAt)!, startedAt: dateOf(j.startedAt), finishedAt: dateOf(j.finishedAt) }));
}

/** Each target's state from its latest job, and the run's totals and time left. */
export async function runProgress(runId: string) {
  const run = await db.run.findUnique({ where: { id: runId } });
  if (!run) return null;
  const params = runParams(run);
  const summary = runSummary(run);
  const roundStart = new Date(summary.roundStartedAt);
  const jobs = await runJobs(runId);
  const latest = new Map<string, (typeof jobs)[number]>();
  for (const j of jobs) if (j.siteId) latest.set(j.siteId, j);

  const total = params.targets.length;
  const targets: TargetProgress[] = params.targets.map((t, i) => {
    const job = latest.get(t.siteId);
    let state: TargetState = 'pending';
    if (summary.skipped[t.siteId]) state = 'skipped';
    else if (job) {
      const earlierRound = job.createdAt < roundStart;
      state = job.status === 'failed' || job.status === 'cancelled' ? (earlierRound ? 'pending' : job.status) : job.status;
    }
    return {
      siteId: t.siteId,
      host: t.host,
      from: t.from,
      wave: waveOf(i, total, params.canarySharePercent),
      state,
      jobId: job?.id ?? null,
      step: job?.step ?? null,
      error: state === 'skipped' ? summary.skipped[t.siteId]! : (job?.error ?? null),
      errorWords: null,
      startedAt: job?.startedAt ?? null,
      finishedAt: job?.finishedAt ?? null,
      workerId: job?.workerId ?? null,
    };
  });
  // The words of the failures only: a run's failed sites are few, its jobs' states many.
  const erred = targets.filter((t) => t.state !== 'skipped' && t.error && t.jobId).map((t) => t.jobId!);
  if (erred.length) {
    const states = new Map((await db.job.findMany({ where: { id: { in: erred } }, select: { id: true, state: true } })).map((j) => [j.id, j.state]));
    for (const t of targets) if (t.jobId && states.has(t.jobId)) t.errorWords = errorWordsIn(states.get(t.jobId));
  }
  const count = (pred: (t: TargetProgress) => boolean) => targets.filter(pred).length;
  const failed = count((t) => t.state === 'failed' || t.state === 'cancelled');
  const totals: RunTotals = {
    total,
    pending: count((t) => t.state === 'pending'),
    inFlight: count((t) => IN_FLIGHT.includes(t.state)),
    succeeded: count((t) => t.state === 'succeeded'),
    failed,
    skipped: count((t) => t.state === 'skipped'),
    done: count((t) => ['succeeded', 'failed', 'cancelled', 'skipped'].includes(t.state)),
    budgetFailures: Math.max(0, failed - summary.failureBase),
  };
  return { run, params, summary, targets, totals, etaMs: estimateLeft(run, params, targets, totals) };
}

/** Time left: the mean time of a site so far, times the sites left, spread over the concurrency. */
function estimateLeft(run: Run, params: RunParams, targets: TargetProgress[], totals: RunTotals): number | null {
  if (FINAL_RUN_STATUSES.includes(run.status)) return 0;
  const durations = targets
    .filter((t) => t.startedAt && t.finishedAt && (t.state === 'succeeded' || t.state === 'failed'))
    .map((t) => t.finishedAt!.getTime() - t.startedAt!.getTime());
  if (!durations.length) return null;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  const left = totals.pending + totals.inFlight;
  return Math.round((mean * left) / Math.max(1, Math.min(params.concurrency, left)));
}

const SUMMARY_WRITE_TRIES = 20;

/**
 * Merges `patch` into the run's summary (and sets `data`): a compare-and-set on the summary's
 * revision as read, tried again when another writer changed it in between. The run's driver and an admin's
 * pause or resume write it at the same moments; a plain read-then-write let the driver's totals
 * erase the reason of a pause just recorded.
 */
export async function saveSummary(
  runId: string,
  /** what changes, or how it changes from the summary as read (merged in each attempt) */
  patch: Partial<RunSummary> | ((current: RunSummary) => Partial<RunSummary>),
  data: { status?: RunStatus; finishedAt?: Date | null } = {},
): Promise<void> {
  for (let i = 0; i < SUMMARY_WRITE_TRIES; i++) {
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    const current = runSummary(run);
    const summary = { ...current, ...(typeof patch === 'function' ? patch(current) : patch) };
    const { count } = await db.run.updateMany({ where: { id: runId, revision: run.revision }, data: { summary, revision: { increment: 1 }, ...data } });
    if (count === 1) return;
  }
  throw new Error(`run ${runId}: its summary kept changing under ${SUMMARY_WRITE_TRIES} attempts to write it`);
}
