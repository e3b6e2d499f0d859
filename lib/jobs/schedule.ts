import { db } from '../db/client';
import { systemActor } from '../domain/actor';
import { enqueueJob } from './queue';

export interface Schedule {
  kind: string;
  everyMs: number;
  params?: unknown;
}

/** Recurring housekeeping. Later issues add size measures, health probes and backups. */
export const builtInSchedules: Schedule[] = [
  { kind: 'maintenance.prune', everyMs: 24 * 3600_000, params: { olderThanHours: 24 } },
  { kind: 'sites.measure', everyMs: 6 * 3600_000, params: {} },
  { kind: 'sites.health', everyMs: 10 * 60_000, params: {} },
  { kind: 'exports.sweep', everyMs: 3600_000, params: {} },
  { kind: 'snapshots.prune', everyMs: 24 * 3600_000, params: {} },
  // does nothing while MUTU_BACKUP_KEEP is 0
  { kind: 'sites.backup', everyMs: 24 * 3600_000, params: {} },
  // does nothing without MUTU_ACME_DIRECTORY
  { kind: 'tls.renew', everyMs: 24 * 3600_000, params: {} },
];

/**
 * Enqueues each scheduled kind when none was created within its period. The registry is
 * the clock, so a restart neither skips nor repeats a run; two workers may rarely both
 * enqueue one, which is harmless because scheduled kinds are idempotent.
 */
export async function enqueueDueJobs(schedules: Schedule[], now = new Date()): Promise<number> {
  let enqueued = 0;
  for (const s of schedules) {
    const recent = await db.job.findFirst({
      where: { kind: s.kind, createdAt: { gt: new Date(now.getTime() - s.everyMs) } },
      select: { id: true },
    });
    if (recent) continue;
    await enqueueJob(systemActor, { kind: s.kind, params: s.params });
    enqueued++;
  }
  return enqueued;
}

/** Checks the schedules once a minute until stopped. */
export function startScheduler(schedules: Schedule[], onError: (err: unknown) => void): () => void {
  const tick = () => enqueueDueJobs(schedules).catch(onError);
  void tick();
  const timer = setInterval(tick, 60_000);
  return () => clearInterval(timer);
}
