import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { farmPaths } from '../farm/paths';
import { defineJob } from '../jobs/types';
import { deleteSnapshot } from './snapshot';
import { formatWorkerLine } from '../domain/job-log-lines';

export const SNAPSHOT_PRUNE_KIND = 'snapshots.prune';

/**
 * Deletes snapshots past their retention (MUTU_SNAPSHOT_DAYS), files and rows, and the
 * half-written folders of snapshots interrupted long ago. Safe to run again at any time.
 */
export const snapshotPruneHandler = defineJob({
  kind: SNAPSHOT_PRUNE_KIND,
  params: z.object({}).strict(),
  onInterrupt: 'resume',
  steps: [
    {
      name: 'expired snapshots',
      async run(ctx) {
        const expired = await db.snapshot.findMany({ where: { expiresAt: { lt: new Date() }, site: { node: ctx.job.node } }, select: { id: true, path: true } });
        for (const s of expired) await deleteSnapshot(s.id);
        const root = farmPaths(config().farmRoot).snapshots;
        const dayAgo = Date.now() - 86_400_000;
        let partial = 0;
        for (const host of fs.existsSync(root) ? fs.readdirSync(root) : []) {
          const dir = path.join(root, host);
          for (const entry of fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : []) {
            const p = path.join(dir, entry);
            if (entry.endsWith('.partial') && fs.lstatSync(p).mtimeMs < dayAgo) {
              await fs.promises.rm(p, { recursive: true, force: true });
              partial++;
            }
          }
          if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
        }
        await ctx.log(formatWorkerLine('snapshotsPruned', { count: String(expired.length), nPartial: String(partial) }));
        await ctx.progress(1);
      },
    },
  ],
});
