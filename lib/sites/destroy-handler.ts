import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { withDriver } from '../databases';
import { farmPaths, siteDir } from '../farm/paths';
import type { JobHandler } from '../jobs/types';
import { describeOutcome, releaseSiteAccount, serveSite } from '../front/apply';
import { runTool } from '../databases/run-tool';
import { notifySiteEvent } from './notify';

export const DESTROY_KIND = 'site.destroy';

const params = z.object({
  siteId: z.string(),
  host: z.string(),
  actor: z.object({ userId: z.string().optional(), email: z.string().optional(), source: z.enum(['ui', 'api', 'cli', 'public', 'system']), ip: z.string() }),
});
type DestroyParams = z.infer<typeof params>;

/**
 * site.destroy: database and user dropped, folder moved to the trash, registry row
 * removed. Every step can run again, so an interrupted destroy is resumed, never undone.
 */
export const destroyHandler: JobHandler<DestroyParams> = {
  kind: DESTROY_KIND,
  params,
  onInterrupt: 'resume',
  steps: [
    {
      name: 'stop serving',
      async run(ctx) {
        await ctx.log(describeOutcome(await serveSite(ctx.params.host, { absent: true })));
        await ctx.progress(0.1);
      },
    },
    {
      name: 'database',
      async run(ctx) {
        const rec = await db.siteDatabase.findUnique({ where: { siteId: ctx.params.siteId }, include: { server: true, site: { include: { platform: true } } } });
        if (!rec) return;
        const profile = PROFILES[rec.site.platform.profile as ProfileName] ?? PROFILES.generic;
        const sqliteFolder = path.join(siteDir(config().farmRoot, ctx.params.host), profile.sqliteFolder);
        await withDriver(rec.server, sqliteFolder, async (driver) => {
          if (rec.shared) {
            const n = await driver.dropPrefixedTables(rec.name, rec.tablePrefix);
            await ctx.log(`dropped ${n} tables prefixed ${rec.tablePrefix}_ from the shared database ${rec.name}`);
          } else if (rec.server.engine !== 'sqlite') {
            // SQLite's file goes to the trash with the folder
            await driver.dropDatabase(rec.name);
            if (rec.user) await driver.dropUser(rec.user);
            await ctx.log(`dropped database ${rec.name} and user ${rec.user} on ${rec.server.name}`);
          }
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
        await ctx.log(`folder moved to ${trashDir}`);
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
        if (await releaseSiteAccount(ctx.params.host, site.unixUser)) await ctx.log(`Unix user ${site.unixUser} removed`);
        await ctx.progress(0.9);
      },
    },
    {
      name: 'registry',
      async run(ctx) {
        await db.site.deleteMany({ where: { id: ctx.params.siteId } });
        await ctx.progress(1, 'destroyed');
      },
    },
  ],
  async onEnd(ctx, outcome) {
    const actor = ctx.params.actor as Actor;
    const ok = outcome.status === 'succeeded';
    await recordAudit(actor, { action: 'site.destroy', siteHost: ctx.params.host, ok, details: { jobId: ctx.job.id, trash: ctx.state.trashDir, ...(ok ? {} : { error: outcome.error }) } });
    if (!ok) return;
    await notifySiteEvent('destroyed', ctx.params.host, { by: actor.email ?? actor.source }).catch((err) =>
      ctx.log(`could not notify the admins: ${err instanceof Error ? err.message : String(err)}`, 'warn'),
    );
  },
};
