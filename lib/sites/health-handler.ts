import type { Prisma } from '@prisma/client';
import * as z from 'zod';
import { db } from '../db/client';
import { defineJob } from '../jobs/types';
import { healthLine, type ProbeStatus } from '../domain/health';
import { probeFront } from './probe';
import { checkSiteHealth } from './site-health';
import { formatWorkerLine } from '../domain/job-log-lines';

export const HEALTH_KIND = 'sites.health';
const PARALLEL = 16;

const params = z.object({ hosts: z.array(z.string()).optional() });

/**
 * Probes sites (all active ones on a schedule, or chosen hosts) and caches what each answer
 * means (lib/domain/health.ts), its status code, a short detail, the latency and the time.
 */
export const healthHandler = defineJob({
  kind: HEALTH_KIND,
  params,
  onInterrupt: 'resume',
  steps: [
    {
      name: 'probe',
      async run(ctx) {
        const front = probeFront();
        if (!front) {
          // Nothing serves the sites yet: probing each at its own host would only call them all down.
          await ctx.log(formatWorkerLine('healthNoFront'));
          return;
        }
        // Every site: those of the node this job is bound to (probed through that node's front).
        const where: Prisma.SiteWhereInput = ctx.params.hosts ? { host: { in: ctx.params.hosts } } : { status: 'active', node: ctx.job.node };
        const sites = await db.site.findMany({
          where,
          select: { id: true, host: true, platform: { select: { profile: true, healthCheck: true } }, certificate: true },
          orderBy: { host: 'asc' },
        });
        let next = 0;
        let done = 0;
        const counts: Record<ProbeStatus, number> = { up: 0, 'needs-install': 0, error: 0, down: 0 };
        const lane = async () => {
          while (next < sites.length && !ctx.signal.aborted) {
            const site = sites[next++]!;
            const r = await checkSiteHealth(site, front);
            counts[r.status]++;
            await db.site.update({
              where: { id: site.id },
              data: { healthStatus: r.status, healthCode: r.code, healthDetail: r.detail, healthLatencyMs: r.latencyMs, healthCheckedAt: new Date() },
            });
            if (r.status !== 'up') await ctx.log(healthLine(site.host, r), 'warn');
            if (++done % 25 === 0) await ctx.progress(done / sites.length, formatWorkerLine('progressSites', { count: String(done), nTotal: String(sites.length) }));
          }
        };
        await Promise.all(Array.from({ length: Math.min(PARALLEL, sites.length) }, lane));
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await ctx.progress(1, formatWorkerLine('progressSitesAll', { count: String(sites.length) }));
        await ctx.log(formatWorkerLine('probed', { count: String(sites.length), nUp: String(counts.up), nInstall: String(counts['needs-install']), nError: String(counts.error), nDown: String(counts.down) }));
      },
    },
  ],
});
