import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { enqueueForHosts } from '../jobs/per-node';
import type { healthHandler } from './health-handler';
import type { measureHandler } from './measure-handler';

/** A job queued for some of the sites, and the node it runs on (none: any worker). */
export interface QueuedOnNode {
  id: string;
  node: string | null;
}

export type OnDemandQueued =
  | { unknown: string[] }
  | {
      /** one per node the sites are on, sorted by node (no node first) */
      jobs: QueuedOnNode[];
      sites: number;
      /** the only site, when there is one */
      one: string | null;
    };

/** "3 sites": a job's target, as the jobs list shows it to everyone (kept in English, as the job's other facts). */
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * "Measure now" / "Check now" for chosen sites: one job per node they are on, each run where
 * that node's files are, every one of them returned (a caller that showed only the first would
 * hide the others). Unknown hosts are refused rather than skipped.
 */
export async function queueForSites(actor: Actor, handler: typeof measureHandler | typeof healthHandler, hosts: string[]): Promise<OnDemandQueued> {
  const sites = await db.site.findMany({ where: { host: { in: hosts } }, select: { id: true, host: true, node: true }, orderBy: { host: 'asc' } });
  const unknown = hosts.filter((h) => !sites.some((s) => s.host === h));
  if (unknown.length || !sites.length) return { unknown: unknown.length ? unknown : hosts };
  const one = sites.length === 1 ? sites[0]!.host : null;
  const jobs = await enqueueForHosts(handler, sites, (group) => ({ hosts: group }), { actor, target: one ?? plural(sites.length, 'site') });
  return {
    jobs: jobs.map((j) => ({ id: j.id, node: j.node })).sort((a, b) => (a.node ?? '').localeCompare(b.node ?? '')),
    sites: sites.length,
    one,
  };
}
