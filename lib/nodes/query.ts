import { db } from '../db/client';
import { config } from '../config';
import { ACTIVE_STATUSES } from '../jobs/types';
import { summariseNodes, workerAlive, type NodeSummary } from '../domain/node';
import { siteNodes } from '../jobs/per-node';

export interface WorkerView {
  id: string;
  node: string;
  pid: number;
  version: string;
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
  alive: boolean;
  /** jobs it runs or undoes now */
  runningJobs: number;
}

export interface NodesView {
  nodes: (NodeSummary & { sites: number; waitingJobs: number })[];
  workers: WorkerView[];
}

const leaseSeconds = () => config().worker.leaseSeconds;

/** Node names the registry knows: from its workers and its sites. Sorted. */
export async function knownNodes(): Promise<string[]> {
  const [workers, sites] = await Promise.all([db.worker.groupBy({ by: ['node'] }), siteNodes()]);
  return [...new Set([...workers.map((w) => w.node), ...sites.filter((n): n is string => n !== null)])].sort();
}

/**
 * Every worker seen and every node, for `mutu nodes list` and the Nodes page: a node whose
 * workers all stopped or fell silent for GONE_AFTER_LEASES leases is `gone`, and the jobs
 * bound to it wait (queued) for one to come back.
 */
export async function nodesAtAGlance(now = new Date(), lease = leaseSeconds()): Promise<NodesView> {
  const [rows, running, sitesPerNode, waiting] = await Promise.all([
    db.worker.findMany({ orderBy: [{ node: 'asc' }, { startedAt: 'desc' }] }),
    db.job.groupBy({ by: ['workerId'], where: { status: { in: ACTIVE_STATUSES }, workerId: { not: null } }, _count: { _all: true } }),
    db.site.groupBy({ by: ['node'], where: { node: { not: null } }, _count: { _all: true } }),
    db.job.groupBy({ by: ['node'], where: { status: 'queued', node: { not: null } }, _count: { _all: true } }),
  ]);
  const runningBy = new Map(running.map((r) => [r.workerId, r._count._all]));
  const sitesBy = new Map(sitesPerNode.map((s) => [s.node, s._count._all]));
  const waitingBy = new Map(waiting.map((w) => [w.node, w._count._all]));
  const workers = rows.map((w) => ({ ...w, alive: workerAlive(w, now, lease), runningJobs: runningBy.get(w.id) ?? 0 }));
  const nodes = summariseNodes(rows, [...sitesBy.keys()].filter((n): n is string => !!n), now, lease).map((n) => ({
    ...n,
    sites: sitesBy.get(n.node) ?? 0,
    waitingJobs: waitingBy.get(n.node) ?? 0,
  }));
  return { nodes, workers };
}

/**
 * The node a queued job waits for, when none of that node's workers is alive (its page says
 * so); null when it is not bound, not queued, or its node has a worker that will take it.
 */
export async function nodeWaitedFor(job: { status: string; node: string | null }, now = new Date(), lease = leaseSeconds()): Promise<string | null> {
  if (job.status !== 'queued' || !job.node) return null;
  const workers = await db.worker.findMany({ where: { node: job.node, stoppedAt: null }, select: { node: true, heartbeatAt: true, stoppedAt: true } });
  return workers.some((w) => workerAlive(w, now, lease)) ? null : job.node;
}
