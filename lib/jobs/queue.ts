import { type Prisma, type Job } from '@prisma/client';
import { db, type RawTransaction } from '../db/client';
import { cuid } from '../db/cuid';
import { enumValue, jsonValue } from '../db/dialect';
import { asModelRows } from '../db/model-rows';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../audit/record';
import { announceJobQueued } from './events';
import type { JobHandler, JobParams, LogLevel } from './types';
import sql from 'sql-template-tag';

export interface EnqueueOptions {
  /** who asks: the job row's creator and its first log line */
  actor: Actor;
  /**
   * Queue within this transaction, so the job exists only if the rest of it does. The caller
   * then calls `announceJobQueued()` once it commits: a worker woken before would not see it.
   */
  tx?: Prisma.TransactionClient;
  /** Jobs sharing a lock key (a site's host) never run at the same time. */
  lockKey?: string;
  siteId?: string;
  target?: string;
  runId?: string;
  runAfter?: Date;
  /** the job's state to start from (a sealed secret its steps will need) */
  state?: Prisma.InputJsonObject;
  /**
   * Only a worker of this node may run it (null: any). Unsaid, a job on a site is bound to the
   * site's node: its steps touch the site's files, which live there.
   */
  node?: string | null;
}

/**
 * Adds a job of `handler`'s kind to the queue, with parameters typed by its schema (checked
 * by the worker when it runs, as a job's parameters are); a worker picks it up.
 */
export async function enqueue<H extends JobHandler>(handler: H, params: JobParams<H>, opts: EnqueueOptions) {
  const client = opts.tx ?? db;
  const node =
    opts.node !== undefined ? opts.node : opts.siteId ? ((await client.site.findUnique({ where: { id: opts.siteId }, select: { node: true } }))?.node ?? null) : null;
  const { firstLine, ...row } = newJob(handler, params, opts, node);
  // With the job, in its commit: one synced write where there were two.
  const job = await client.job.create({ data: { ...row, logs: { create: firstLine } } });
  if (!opts.tx) announceJobQueued();
  return job;
}

/**
 * `enqueue` within a raw transaction (`transactionNow`), its job's row and first log line
 * written by raw SQL (for the request of every new site: a model query's compile costs more
 * CPU than its statement), the same as `enqueue` writes them. The caller announces the job once
 * the transaction commits. `node` is said, not looked up.
 */
export async function enqueueIn<H extends JobHandler>(
  tx: RawTransaction,
  handler: H,
  params: JobParams<H>,
  opts: Omit<EnqueueOptions, 'tx' | 'node'> & { node: string | null },
): Promise<Job> {
  const { firstLine, ...row } = newJob(handler, params, opts, opts.node);
  // Prisma's defaults given as it gives them: its cuid, one moment for the row and its line.
  const id = cuid();
  const now = new Date();
  const [job] = asModelRows(
    'Job',
    await tx.query(sql`
      INSERT INTO "Job" ("id", "kind", "status", "params", "state", "lockKey", "siteId", "node", "target", "runId", "runAfter", "createdById", "createdAt")
      VALUES (${id}, ${row.kind}, ${enumValue(row.status, 'JobStatus')}, ${jsonValue(row.params)}, ${jsonValue(row.state ?? {})}, ${row.lockKey}, ${row.siteId},
        ${row.node}, ${row.target}, ${row.runId}, ${row.runAfter}, ${row.createdById}, ${now})
      RETURNING *`),
  );
  await tx.execute(sql`INSERT INTO "JobLog" ("jobId", "at", "level", "message") VALUES (${id}, ${now}, ${enumValue(firstLine.level, 'LogLevel')}, ${firstLine.message})`);
  return job!;
}

/** A new job's row and its first log line, as both ways of queueing write them. */
function newJob(handler: JobHandler, params: unknown, opts: Omit<EnqueueOptions, 'tx'>, node: string | null) {
  const { actor } = opts;
  return {
    kind: handler.kind,
    status: 'queued' as const,
    params: (params ?? {}) as Prisma.InputJsonValue,
    state: opts.state,
    lockKey: opts.lockKey ?? null,
    siteId: opts.siteId ?? null,
    node,
    target: opts.target ?? opts.lockKey ?? null,
    runId: opts.runId ?? null,
    runAfter: opts.runAfter ?? new Date(),
    createdById: actor.userId ?? null,
    firstLine: { level: 'info' as const, message: `queued by ${actor.email ?? actor.source} (${actor.source})` },
  };
}

export async function appendLog(jobId: string, message: string, level: LogLevel = 'info'): Promise<void> {
  await db.jobLog.create({ data: { jobId, message, level } });
}

/** Log lines after the cursor `after` (a line id), oldest first. */
export async function readLog(jobId: string, after = 0, limit = 500) {
  const lines = await db.jobLog.findMany({
    where: { jobId, id: { gt: after } },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return {
    lines: lines.map((l) => ({ id: l.id, at: l.at.toISOString(), level: l.level, message: l.message })),
    cursor: lines.length ? lines[lines.length - 1]!.id : after,
  };
}

/**
 * Asks a job to stop. A queued job is cancelled at once; a running one is stopped
 * by its worker, which undoes what it did.
 */
export async function cancelJob(actor: Actor, jobId: string): Promise<'cancelled' | 'requested' | 'finished'> {
  const now = new Date();
  const queued = await db.job.updateMany({
    where: { id: jobId, status: 'queued' },
    data: { status: 'cancelled', finishedAt: now, error: 'cancelled before it started' },
  });
  let outcome: 'cancelled' | 'requested' | 'finished' = 'cancelled';
  if (queued.count === 0) {
    const running = await db.job.updateMany({
      where: { id: jobId, status: { in: ['running', 'undoing'] } },
      data: { cancelRequested: true },
    });
    outcome = running.count ? 'requested' : 'finished';
  }
  if (outcome !== 'finished') {
    const job = await db.job.findUnique({ where: { id: jobId }, select: { kind: true, target: true, siteId: true } });
    await appendLog(jobId, `cancel requested by ${actor.email ?? actor.source}`, 'warn');
    await recordAudit(actor, { action: 'job.cancel', siteId: job?.siteId, siteHost: job?.target, details: { jobId, kind: job?.kind } });
  }
  return outcome;
}
