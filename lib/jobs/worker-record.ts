import { db } from '../db/client';
import { mutuVersion } from '../version';

/**
 * A worker's row in the registry (`Worker`), for `mutu nodes list` and the Nodes page: written
 * at its start, one update per heartbeat period, stopped on a clean stop. A worker killed keeps
 * its last heartbeat, which is how its node is seen to be gone.
 */
export async function recordWorkerStart(id: string, node: string): Promise<void> {
  const now = new Date();
  await db.worker.upsert({
    where: { id },
    create: { id, node, pid: process.pid, version: mutuVersion, startedAt: now, heartbeatAt: now },
    update: { node, heartbeatAt: now, stoppedAt: null },
  });
}

export async function recordWorkerBeat(id: string, node: string): Promise<void> {
  const { count } = await db.worker.updateMany({ where: { id }, data: { heartbeatAt: new Date(), stoppedAt: null } });
  // Its row went away (a registry copied or pruned under it): written again.
  if (count === 0) await recordWorkerStart(id, node);
}

/** Workers unheard for this long leave the Nodes page (a node renamed, a machine retired). */
export const WORKERS_KEPT_DAYS = 7;

export async function forgetOldWorkers(now = new Date()): Promise<number> {
  const { count } = await db.worker.deleteMany({ where: { heartbeatAt: { lt: new Date(now.getTime() - WORKERS_KEPT_DAYS * 86_400_000) } } });
  return count;
}

export async function recordWorkerStop(id: string): Promise<void> {
  const now = new Date();
  await db.worker.updateMany({ where: { id }, data: { heartbeatAt: now, stoppedAt: now } });
}
