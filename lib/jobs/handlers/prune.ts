import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../../config';
import { refreshPlannerStatistics } from '../../db/statistics';
import { forgetSpentAttempts } from '../../auth/rate-limit';
import { farmPaths } from '../../farm/paths';
import { forgetSpentPasswordLinks } from '../../users/password-links';
import { defineJob } from '../types';
import { forgetOldWorkers, WORKERS_KEPT_DAYS } from '../worker-record';
import { formatWorkerLine } from '../../domain/job-log-lines';

/**
 * Housekeeping: forgets spent rate-limit counters and password links and workers long gone, empties the trash of folders kept
 * longer than MUTU_TRASH_DAYS, and refreshes the registry's planner statistics. Every step can run again safely.
 */
export const pruneHandler = defineJob({
  kind: 'maintenance.prune',
  params: z.object({ olderThanHours: z.number().int().min(1).default(24) }),
  onInterrupt: 'resume',
  steps: [
    {
      name: 'rate limits',
      // and password links spent or expired before the cutoff
      async run(ctx) {
        const cutoff = new Date(Date.now() - ctx.params.olderThanHours * 3600_000);
        const count = await forgetSpentAttempts(cutoff);
        await ctx.log(formatWorkerLine('forgotCounters', { count: String(count) }));
        const links = await forgetSpentPasswordLinks(cutoff);
        await ctx.log(formatWorkerLine('forgotLinks', { count: String(links) }));
        const workers = await forgetOldWorkers();
        await ctx.log(formatWorkerLine('forgotWorkers', { count: String(workers), nDays: String(WORKERS_KEPT_DAYS) }));
        await ctx.progress(0.5);
      },
    },
    {
      name: 'trash',
      async run(ctx) {
        const trash = farmPaths(config().farmRoot).trash;
        const cutoff = Date.now() - config().trashDays * 86_400_000;
        let removed = 0;
        for (const entry of fs.existsSync(trash) ? fs.readdirSync(trash, { withFileTypes: true }) : []) {
          const p = path.join(trash, entry.name);
          // lstat: the age of the entry itself, never of what a link points to
          if (fs.lstatSync(p).mtimeMs < cutoff) {
            await fs.promises.rm(p, { recursive: true, force: true });
            removed++;
            await ctx.log(formatWorkerLine('trashEmptied', { name: entry.name }));
          }
        }
        await ctx.log(formatWorkerLine('trashRemoved', { count: String(removed), nDays: String(config().trashDays) }));
        await ctx.progress(0.9);
      },
    },
    {
      name: 'registry statistics',
      async run(ctx) {
        await refreshPlannerStatistics();
        await ctx.log(formatWorkerLine('plannerStats'));
        await ctx.progress(1);
      },
    },
  ],
});
