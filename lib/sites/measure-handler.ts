import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { PROFILES } from '../domain/profiles';
import type { DbServer, Prisma } from '@prisma/client';
import { driverFor } from '../databases';
import type { DbDriver } from '../databases/driver';
import { diskUsage } from '../farm/disk-usage';
import { siteDir } from '../farm/paths';
import { defineJob } from '../jobs/types';
import { formatWorkerLine } from '../domain/job-log-lines';

export const MEASURE_KIND = 'sites.measure';

const params = z.object({ hosts: z.array(z.string()).optional() });

/**
 * Measures disk use (whole folder, and uploads / cache / tmp apart) and database size,
 * and caches them on the site with the time of measure. Pages only ever read the cache.
 * Runs for every site on a schedule, or for chosen hosts on demand; can run again at will.
 */
export const measureHandler = defineJob({
  kind: MEASURE_KIND,
  params,
  onInterrupt: 'resume',
  steps: [
    {
      name: 'measure',
      async run(ctx) {
        // Every site: those of the node this job is bound to (its worker sees that disk only).
        const where: Prisma.SiteWhereInput = ctx.params.hosts ? { host: { in: ctx.params.hosts } } : { status: { notIn: ['provisioning', 'trashed'] }, node: ctx.job.node };
        const sites = await db.site.findMany({ where, select: { id: true, host: true, platform: { select: { profile: true } }, database: { include: { server: true } } }, orderBy: { host: 'asc' } });
        let failures = 0;
        // One admin connection per database server for the whole run, not one per site.
        const servers = new Map<string, DbDriver>();
        const driverOf = (server: DbServer, sqliteFolder: string) => {
          if (server.engine === 'sqlite') return driverFor(server, sqliteFolder);
          let d = servers.get(server.id);
          if (!d) servers.set(server.id, (d = driverFor(server)));
          return d;
        };
        try {
          for (const [i, site] of sites.entries()) {
            if (ctx.signal.aborted) throw ctx.signal.reason;
            const profile = PROFILES[site.platform.profile];
            const dir = siteDir(config().farmRoot, site.host);
            try {
              // A vanished folder is not an empty site: keep the last (dated) measure; the scan reports it.
              // Its text is a line of the table: the log's "<host>: <line>" below is worded again on the job's page.
              if (!fs.existsSync(dir)) throw new Error(formatWorkerLine('measureNoFolder', { dir }));
              const total = await diskUsage(dir);
              // One after the other: a file hard-linked from two of them is charged to the first, always the same.
              const seen = new Set<string>();
              const uploads = await diskUsage(path.join(dir, profile.usage.uploads), seen);
              const cache = profile.usage.cache ? await diskUsage(path.join(dir, profile.usage.cache), seen) : null;
              const tmp = await diskUsage(path.join(dir, profile.usage.tmp), seen);
              const rec = site.database;
              const dbBytes = rec
                ? await driverOf(rec.server, path.join(dir, profile.sqliteFolder)).sizeBytes({ database: rec.name, tablePrefix: rec.tablePrefix, shared: rec.shared })
                : null;
              await db.site.update({
                where: { id: site.id },
                data: {
                  diskBytes: BigInt(total),
                  diskImgBytes: BigInt(uploads),
                  diskLocalBytes: cache === null ? null : BigInt(cache),
                  diskTmpBytes: BigInt(tmp),
                  dbBytes: dbBytes === null ? null : BigInt(dbBytes),
                  sizesMeasuredAt: new Date(),
                  ...(rec && dbBytes !== null ? { database: { update: { sizeBytes: BigInt(dbBytes) } } } : {}),
                },
              });
            } catch (err) {
              failures++;
              await ctx.log(`${site.host}: ${err instanceof Error ? err.message : String(err)}`, 'warn');
            }
            if (i % 25 === 0 || i === sites.length - 1) await ctx.progress((i + 1) / sites.length, formatWorkerLine('progressSites', { count: String(i + 1), nTotal: String(sites.length) }));
          }
        } finally {
          await Promise.all([...servers.values()].map((d) => d.close()));
        }
        await ctx.log(formatWorkerLine('measured', { count: String(sites.length - failures), nTotal: String(sites.length) }));
      },
    },
  ],
});
