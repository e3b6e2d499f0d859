/**
 * Node names: the machine a worker runs on, as the farm calls it (`web2`). Sites whose files
 * live on a node are only touched by workers of that node. Pure rules, no I/O.
 */

export class NodeNameError extends Error {}

const NODE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A node name as stored: lower case, a host name's letters (`web2`, `web2.example.org`). */
export function normaliseNodeName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!name || name.length > 253 || !NODE_NAME.test(name)) {
    throw new NodeNameError(`"${input}" is not a node name: use letters, digits, hyphens and dots, as in a host name (web2)`);
  }
  return name;
}

/**
 * This process's node when none is given: MUTU_NODE, else the machine's host name (its first
 * label when the full name is not a valid node name, then "local").
 */
export function defaultNodeName(env: Record<string, string | undefined>, hostname: string): string {
  if (env.MUTU_NODE?.trim()) return normaliseNodeName(env.MUTU_NODE);
  for (const candidate of [hostname, hostname.split('.')[0] ?? '']) {
    try {
      return normaliseNodeName(candidate);
    } catch {}
  }
  return 'local';
}

/** A worker is gone once it missed this many lease periods of heartbeats (or stopped). */
export const GONE_AFTER_LEASES = 3;

export interface WorkerSeen {
  node: string;
  heartbeatAt: Date;
  stoppedAt: Date | null;
}

export function workerAlive(w: WorkerSeen, now: Date, leaseSeconds: number): boolean {
  return !w.stoppedAt && now.getTime() - w.heartbeatAt.getTime() <= GONE_AFTER_LEASES * leaseSeconds * 1000;
}

export interface NodeSummary {
  node: string;
  workers: number;
  alive: number;
  /** every worker seen on it is stopped or silent: its sites' file jobs wait */
  gone: boolean;
  lastHeartbeatAt: Date | null;
}

/** Nodes as their workers show them, by name; plus nodes only sites name (no worker ever seen: gone). */
export function summariseNodes(workers: WorkerSeen[], siteNodes: string[], now: Date, leaseSeconds: number): NodeSummary[] {
  const byNode = new Map<string, NodeSummary>();
  const entry = (node: string) => {
    let e = byNode.get(node);
    if (!e) byNode.set(node, (e = { node, workers: 0, alive: 0, gone: true, lastHeartbeatAt: null }));
    return e;
  };
  for (const w of workers) {
    const e = entry(w.node);
    e.workers++;
    if (workerAlive(w, now, leaseSeconds)) {
      e.alive++;
      e.gone = false;
    }
    if (!e.lastHeartbeatAt || w.heartbeatAt > e.lastHeartbeatAt) e.lastHeartbeatAt = w.heartbeatAt;
  }
  for (const n of siteNodes) entry(n);
  return [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
}

/** Which jobs a worker of `node` may claim: those bound to no node, and those bound to its own. */
export const claimableOn = (node: string) => ({ OR: [{ node: null }, { node }] });
