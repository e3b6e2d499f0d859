import type { Prisma } from '@prisma/client';
import * as z from 'zod';
import { db } from '../db/client';
import { allOf } from '../domain/enums';
import type { JobStatus } from './types';
import { nodeWaitedFor } from '../nodes/query';
import { errorWordsIn, type JobErrorWords } from './job-error';

export const JOB_STATUSES = allOf<JobStatus>()(['queued', 'running', 'undoing', 'succeeded', 'failed', 'cancelled']);

export const jobFilterSchema = z.object({
  status: z.enum(JOB_STATUSES, `one of ${JOB_STATUSES.join(', ')}`).optional(),
  /** cursor: the id of the last job seen, or an ISO time (jobs created before it) */
  before: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobFilter = z.infer<typeof jobFilterSchema>;

const summarySelect = {
  id: true,
  kind: true,
  target: true,
  status: true,
  step: true,
  stepIndex: true,
  progress: true,
  progressText: true,
  error: true,
  attempts: true,
  cancelRequested: true,
  siteId: true,
  runId: true,
  workerId: true,
  node: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  heartbeatAt: true,
  createdBy: { select: { email: true } },
} satisfies Prisma.JobSelect;

type JobRow = Prisma.JobGetPayload<{ select: typeof summarySelect }>;

/** A job as plain JSON (ISO times), safe for route responses and client components. Client code imports the type only: this module reads the registry. */
export interface JobSummary {
  id: string;
  kind: string;
  target: string | null;
  status: JobStatus;
  step: string | null;
  stepIndex: number;
  progress: number;
  progressText: string | null;
  error: string | null;
  attempts: number;
  cancelRequested: boolean;
  siteId: string | null;
  runId: string | null;
  workerId: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  /** the node it is bound to (its site's files live there); null: any */
  node: string | null;
  /** one job read alone: the node it waits for, queued while none of that node's workers is alive */
  waitingForNode?: string | null;
  /** one job read alone: its error's catalogue words, to say it in the reader's language (null: the English is all there is) */
  errorWords?: JobErrorWords | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toSummary(row: JobRow): JobSummary {
  const { createdBy, createdAt, startedAt, finishedAt, heartbeatAt, ...rest } = row;
  return {
    ...rest,
    createdBy: createdBy?.email ?? null,
    createdAt: createdAt.toISOString(),
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    heartbeatAt: iso(heartbeatAt),
  };
}

/** The cursor condition: jobs strictly older than the cursor, in (createdAt, id) order. */
async function beforeCondition(before: string): Promise<Prisma.JobWhereInput | null> {
  if (/^\d{4}-\d{2}-\d{2}T/.test(before)) {
    const at = new Date(before);
    return Number.isNaN(at.getTime()) ? null : { createdAt: { lt: at } };
  }
  const cursor = await db.job.findUnique({ where: { id: before }, select: { createdAt: true } });
  if (!cursor) return null;
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: before } }] };
}

/** A page of jobs, newest first; `nextBefore` is the cursor of the next (older) page. */
export async function listJobs(filter: JobFilter) {
  const where: Prisma.JobWhereInput = filter.status ? { status: filter.status } : {};
  if (filter.before) {
    const cond = await beforeCondition(filter.before);
    // An unknown cursor gives an empty page rather than silently starting again from the newest.
    if (!cond) return { jobs: [] as JobSummary[], nextBefore: null };
    where.AND = [cond];
  }
  const rows = await db.job.findMany({
    where,
    select: summarySelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit).map(toSummary);
  return { jobs: page, nextBefore: rows.length > filter.limit ? page[page.length - 1]!.id : null };
}
export type JobPage = Awaited<ReturnType<typeof listJobs>>;

export async function getJobSummary(id: string): Promise<JobSummary | null> {
  const row = await db.job.findUnique({ where: { id }, select: { ...summarySelect, state: true } });
  if (!row) return null;
  const { state, ...summary } = row;
  return { ...toSummary(summary), waitingForNode: await nodeWaitedFor(row), errorWords: row.error ? errorWordsIn(state) : null };
}

/** Just enough to answer a log poll: does the job exist, and has it been over for a moment? */
export async function jobEnd(id: string) {
  return db.job.findUnique({ where: { id }, select: { status: true, finishedAt: true } });
}
