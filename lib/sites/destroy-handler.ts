import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { recordJobEnd } from '../audit/record';
import { actorSchema } from '../domain/actor';
import { planDatabaseRemoval } from '../domain/db-removal';
import { withDriver } from '../databases';
import { farmPaths, siteDir } from '../farm/paths';
import { defineJob } from '../jobs/types';
import { describeOutcome, releaseSiteAccount, serveSite } from '../front/apply';
import { runTool } from '../databases/run-tool';
import { otherDatabaseUses } from './db-users';
import { notifySiteEvent } from './notify';
import { formatWorkerLine } from '../domain/job-log-lines';

export const DESTROY_KIND = 'site.destroy';

const params = z.object({
  siteId: z.string(),
  host: z.string(),
  /** for an adopted site: drop its database and user too (still never while another site uses them) */
  dropDatabase: z.boolean().default(false),
  actor: actorSchema,
});

/**
 * site.destroy: database and user dropped when they are the site's own, folder moved to the
 * trash, registry row removed. Every step can run again, so an interrupted destroy is
 * resumed, never undone.
 */
export const destroyHandler = defineJob({
  kind: DESTROY_KIND,
  params,
  onInterrupt: 'resume',
  steps: [
    {
      name: 'stop serving',
      async run(ctx) {
        for (const line of describeOutcome(await serveSite(ctx.params.host, { absent: true }))) await ctx.log(line);
        await ctx.progress(0.1);
      },
    },
    {
      name: 'database',
      async run(ctx) {
        const rec = await db.siteDatabase.findUnique({ where: { siteId: ctx.params.siteId }, include: { server: true } });
        if (!rec) return;
        if (rec.server.engine === 'sqlite') {
          await ctx.log(formatWorkerLine('sqliteToTrash', { database: rec.name }));
          return;
        }
        await withDriver(rec.server, undefined, async (driver) => {
          // Decided anew on a resumed run: drops are idempotent, and what is kept stays kept.
          const mayDrop = rec.createdByMutu || ctx.params.dropDatabase;
          const plan = planDatabaseRemoval({ ...rec, database: rec.name }, await otherDatabaseUses(rec.siteId, rec.server), {
            dropAdopted: ctx.params.dropDatabase,
            userReach: mayDrop && rec.user ? await driver.accountReach(rec.user) : [],
          });
          if (plan.dropTables) {
            const n = await driver.dropPrefixedTables(rec.name, rec.tablePrefix);
            await ctx.log(formatWorkerLine('droppedTablesOn', { count: String(n), prefix: rec.tablePrefix, database: rec.name, server: rec.server.name }));
          }
          if (plan.dropDatabase) {
            await driver.dropDatabase(rec.name);
            await ctx.log(formatWorkerLine('droppedDatabaseOn', { database: rec.name, server: rec.server.name }));
          }
          if (plan.dropUser) {
            await driver.dropUser(rec.user);
            await ctx.log(formatWorkerLine('droppedUserOn', { user: rec.user, server: rec.server.name }));
          }
          for (const what of plan.kept) await ctx.log(formatWorkerLine('kept', { what }));
          await ctx.save({ kept: plan.kept });
        });
        await ctx.progress(0.4);
      },
    },
    {
      name: 'folder',
      async run(ctx) {
        const dir = siteDir(config().farmRoot, ctx.params.host);
        if (!ctx.state.trashDir) {
          const stamp = new Date().toISOString().replace(/[:.]/g, '-');
          await ctx.save({ trashDir: path.join(farmPaths(config().farmRoot).trash, `${ctx.params.host}-${stamp}`) });
        }
        const trashDir = String(ctx.state.trashDir);
        if (fs.existsSync(dir)) {
          fs.mkdirSync(path.dirname(trashDir), { recursive: true, mode: config().modes.folder });
          fs.renameSync(dir, trashDir);
          // The trash keeps folders for MUTU_TRASH_DAYS from now, not from their last change.
          const now = new Date();
          fs.utimesSync(trashDir, now, now);
        }
        await ctx.log(formatWorkerLine('movedToTrash', { dir: trashDir }));
        await ctx.progress(0.8);
      },
    },
    {
      name: 'unix user',
      async run(ctx) {
        const site = await db.site.findUnique({ where: { id: ctx.params.siteId }, select: { unixUser: true } });
        if (!site?.unixUser) return;
        // Its files in the trash become root's: a later account given the same uid must not own them.
        const trashDir = typeof ctx.state.trashDir === 'string' ? ctx.state.trashDir : undefined;
        if (trashDir && fs.existsSync(trashDir)) await runTool('chown', ['-R', '-P', '0:0', trashDir]);
        if (await releaseSiteAccount(ctx.params.host, site.unixUser)) await ctx.log(formatWorkerLine('unixUserRemoved', { user: site.unixUser }));
        await ctx.progress(0.9);
      },
    },
    {
      name: 'registry',
      async run(ctx) {
        await db.site.deleteMany({ where: { id: ctx.params.siteId } });
        await ctx.progress(1, formatWorkerLine('progressDestroyed'));
      },
    },
  ],
  async onEnd(ctx, outcome) {
    const actor = ctx.params.actor;
    const details = { trash: ctx.state.trashDir, dropDatabase: ctx.params.dropDatabase, kept: ctx.state.kept ?? [] };
    if (!(await recordJobEnd(ctx, outcome, 'site.destroy', { siteId: null, details }))) return;
    await notifySiteEvent('destroyed', ctx.params.host, { by: actor.email ?? actor.source }).catch((err) =>
      ctx.log(formatWorkerLine('notifyFailed', { reason: err instanceof Error ? err.message : String(err) }), 'warn'),
    );
  },
});
