import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../audit/record';
import { announceJobQueued } from './events';
import type { LogLevel } from './types';

export interface EnqueueInput {
  kind: string;
  params?: unknown;
  /** Jobs sharing a lock key (a site's host) never run at the same time. */
  lockKey?: string;
  siteId?: string;
  target?: string;
  runId?: string;
  runAfter?: Date;
}

/** Adds a job to the queue; a worker picks it up. */
export async function enqueueJob(actor: Actor, input: EnqueueInput) {
  const job = await db.job.create({
    data: {
      kind: input.kind,
      status: 'queued',
      params: JSON.stringify(input.params ?? {}),
      lockKey: input.lockKey ?? null,
      siteId: input.siteId ?? null,
      target: input.target ?? input.lockKey ?? null,
      runId: input.runId ?? null,
      runAfter: input.runAfter ?? new Date(),
      createdById: actor.userId ?? null,
    },
  });
  await appendLog(job.id, `queued by ${actor.email ?? actor.source} (${actor.source})`);
  announceJobQueued();
  return job;
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
    lines: lines.map((l) => ({ id: l.id, at: l.at.toISOString(), level: l.level as LogLevel, message: l.message })),
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
