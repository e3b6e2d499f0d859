import { db } from '../db/client';
import { describeOutcome, prepareSiteUser, releaseSiteAccount, serveSite } from '../front/apply';
import type { JobContext, JobStep } from '../jobs/types';
import { formatWorkerLine } from '../domain/job-log-lines';

type SiteParams = { siteId: string; host: string };

/** The front serves the site as the registry now has it; the job's log says what changed. */
export async function serveNow(ctx: JobContext<SiteParams>, opts: { deep?: boolean } = {}): Promise<void> {
  for (const line of describeOutcome(await serveSite(ctx.params.host, opts))) await ctx.log(line);
}

/**
 * A new site's own Unix user (once the front is set up), made before anything runs for the
 * site. Its undo removes the user it was given.
 */
export const siteUserStep: JobStep<SiteParams> = {
  name: 'unix user',
  async run(ctx) {
    const user = await prepareSiteUser(ctx.params.host);
    await ctx.log(user ? formatWorkerLine('unixUser', { user }) : formatWorkerLine('noFrontNoUser'));
  },
  async undo(ctx) {
    const site = await db.site.findUnique({ where: { id: ctx.params.siteId }, select: { unixUser: true } });
    if (await releaseSiteAccount(ctx.params.host, site?.unixUser ?? null)) await ctx.log(formatWorkerLine('unixUserRemoved', { user: site!.unixUser! }));
    if (site?.unixUser) await db.site.updateMany({ where: { id: ctx.params.siteId }, data: { unixUser: null } });
  },
};

/**
 * The last step of making a site (creation, import): its folder's owners (deep: what was
 * just put there is the site's), its pool and its map lines. Its undo takes the site out of
 * the front.
 */
export const serveNewSiteStep: JobStep<SiteParams> = {
  name: 'serve',
  async run(ctx) {
    await serveNow(ctx, { deep: true });
  },
  async undo(ctx) {
    for (const line of describeOutcome(await serveSite(ctx.params.host, { absent: true }))) await ctx.log(line);
  },
};
