import { queryRawNow } from '../db/client';
import { enqueue, type EnqueueOptions } from './queue';
import type { JobHandler, JobParams } from './types';
import sql from 'sql-template-tag';

/**
 * The node values sites have (null among them when some sites belong to no node, or when the
 * farm has no site): a job over "every site" is queued once per value, each bound to its node,
 * since a worker sees only its own machine's disk.
 */
export async function siteNodes(): Promise<(string | null)[]> {
  // One index seek per node (a loose index scan, which neither registry's planner does for a
  // GROUP BY): a farm of 100,000 sites on a few nodes reads a few index entries, not 100,000.
  const [named, unbound] = await Promise.all([
    queryRawNow<{ node: string }>(sql`
      WITH RECURSIVE "nodes"("node") AS (
        SELECT MIN("node") FROM "Site"
        UNION ALL
        SELECT (SELECT MIN("node") FROM "Site" WHERE "node" > "nodes"."node") FROM "nodes" WHERE "nodes"."node" IS NOT NULL
      )
      SELECT "node" FROM "nodes" WHERE "node" IS NOT NULL`),
    queryRawNow(sql`SELECT 1 AS "one" FROM "Site" WHERE "node" IS NULL LIMIT 1`),
  ]);
  const nodes: (string | null)[] = named.map((r) => r.node).sort((a, b) => a.localeCompare(b));
  return unbound.length || !nodes.length ? [null, ...nodes] : nodes;
}

/** Queues `handler` once per node of the farm's sites (once on a farm of one node). */
export async function enqueuePerNode<H extends JobHandler>(handler: H, params: JobParams<H>, opts: Omit<EnqueueOptions, 'node'>) {
  const jobs = [];
  for (const node of await siteNodes()) jobs.push(await enqueue(handler, params, { ...opts, node }));
  return jobs;
}

/**
 * Queues `handler` for chosen hosts: one job per node they belong to, so each runs where the
 * files are. A single site's job carries its site.
 */
export async function enqueueForHosts<H extends JobHandler>(
  handler: H,
  sites: { id: string; host: string; node: string | null }[],
  params: (hosts: string[]) => JobParams<H>,
  opts: Omit<EnqueueOptions, 'node' | 'siteId'>,
) {
  const groups = new Map<string | null, typeof sites>();
  for (const s of sites) groups.set(s.node, [...(groups.get(s.node) ?? []), s]);
  const jobs = [];
  for (const [node, group] of groups) {
    jobs.push(await enqueue(handler, params(group.map((s) => s.host)), { ...opts, node, siteId: group.length === 1 ? group[0]!.id : undefined }));
  }
  return jobs;
}
