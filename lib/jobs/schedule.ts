import { db } from '../db/client';
import { systemActor } from '../domain/actor';
import { enqueue } from './queue';
import { siteNodes } from './per-node';
import type { JobHandler, JobParams } from './types';
import { pruneHandler } from './handlers/prune';
import { measureHandler } from '../sites/measure-handler';
import { healthHandler } from '../sites/health-handler';
import { sweepHandler } from '../exports/sweep-handler';
import { snapshotPruneHandler } from '../upgrades/prune-snapshots';
import { backupHandler } from '../backups/backup-handler';
import { tlsRenewHandler } from '../tls/renew-handler';

export interface Schedule {
  handler: JobHandler;
  everyMs: number;
  params: unknown;
  /** it works on the sites' files: one job per node of the farm's sites, each bound to its node */
  perNode?: boolean;
}

/** A recurring job, its parameters typed by its handler. */
const every = <H extends JobHandler>(handler: H, everyMs: number, params: JobParams<H>, perNode = false): Schedule => ({ handler, everyMs, params, perNode });

/** Recurring housekeeping. */
export const builtInSchedules: Schedule[] = [
  // per node for its trash folder; the registry's part is harmless run again
  every(pruneHandler, 24 * 3600_000, { olderThanHours: 24 }, true),
  every(measureHandler, 6 * 3600_000, {}, true),
  every(healthHandler, 10 * 60_000, {}, true),
  every(sweepHandler, 3600_000, {}, true),
  every(snapshotPruneHandler, 24 * 3600_000, {}, true),
  // does nothing while MUTU_BACKUP_KEEP is 0
  every(backupHandler, 24 * 3600_000, {}, true),
  // does nothing without MUTU_ACME_DIRECTORY
  every(tlsRenewHandler, 24 * 3600_000, {}, true),
];

/**
 * Enqueues each scheduled kind when none was created within its period. The registry is
 * the clock, so a restart neither skips nor repeats a run; two workers may rarely both
 * enqueue one, which is harmless because scheduled kinds are idempotent.
 */
export async function enqueueDueJobs(schedules: Schedule[], now = new Date()): Promise<number> {
  let enqueued = 0;
  for (const s of schedules) {
    for (const node of s.perNode ? await siteNodes() : [undefined]) {
      const recent = await db.job.findFirst({
        where: { kind: s.handler.kind, createdAt: { gt: new Date(now.getTime() - s.everyMs) }, ...(node !== undefined ? { node } : {}) },
        select: { id: true },
      });
      if (recent) continue;
      await enqueue(s.handler, s.params, { actor: systemActor, node: node ?? null });
      enqueued++;
    }
  }
  return enqueued;
}

/**
 * Checks the schedules once a minute until stopped. The stop waits for a check in flight: the
 * registry's client is closed after it, never under one of its transactions (a PostgreSQL
 * client closed there never ended, and the worker with it).
 */
export function startScheduler(schedules: Schedule[], onError: (err: unknown) => void): () => Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    inFlight = enqueueDueJobs(schedules).then(() => undefined, onError);
  };
  tick();
  const timer = setInterval(tick, 60_000);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
