import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { farmPaths } from '../farm/paths';
import { db } from '../db/client';
import { defineJob } from '../jobs/types';
import { exportFolder } from './paths';
import { formatWorkerLine } from '../domain/job-log-lines';

export const SWEEP_KIND = 'exports.sweep';

/**
 * Deletes the files of expired exports and marks them expired. Also clears exports whose
 * preparation failed long ago. Every step can run again safely.
 */
export const sweepHandler = defineJob({
  kind: SWEEP_KIND,
  params: z.object({}).strict(),
  onInterrupt: 'resume',
  steps: [
    {
      name: 'expired exports',
      async run(ctx) {
        const now = new Date();
        const due = await db.export.findMany({
          where: { status: { in: ['ready', 'failed'] }, expiresAt: { lte: now }, site: { node: ctx.job.node } },
          select: { id: true, site: { select: { host: true } } },
        });
        for (const exp of due) {
          await fs.promises.rm(exportFolder(exp.site.host, exp.id), { recursive: true, force: true });
          await db.$transaction([
            db.exportFile.deleteMany({ where: { exportId: exp.id } }),
            db.export.update({ where: { id: exp.id }, data: { status: 'expired' } }),
          ]);
        }
        await ctx.log(formatWorkerLine('exportsSwept', { count: String(due.length) }));
        await ctx.progress(0.5);
      },
    },
    {
      // A destroyed site's rows go with it (cascade) but its export folders stay on disk.
      name: 'orphan folders',
      async run(ctx) {
        const root = farmPaths(config().farmRoot).exports;
        let removed = 0;
        for (const host of fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }) : []) {
          if (!host.isDirectory()) continue;
          const hostDir = path.join(root, host.name);
          for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
            const live = await db.export.findFirst({ where: { id: entry.name, status: { in: ['preparing', 'ready'] } }, select: { id: true } });
            if (live) continue;
            await fs.promises.rm(path.join(hostDir, entry.name), { recursive: true, force: true });
            removed++;
          }
        }
        await ctx.log(formatWorkerLine('exportFoldersRemoved', { count: String(removed) }));
        await ctx.progress(1);
      },
    },
  ],
});
