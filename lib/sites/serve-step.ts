import { db } from '../db/client';
import { frontIsSetUp } from '../front/settings';
import { describeOutcome, prepareSiteUser, releaseSiteAccount, serveSite } from '../front/apply';
import type { JobContext, JobStep } from '../jobs/types';
import { formatWorkerLine } from '../domain/job-log-lines';

type SiteParams = { siteId: string; host: string };

/** The front serves the site as the registry now has it; the job's log says what changed. */
export async function serveNow(ctx: JobContext<SiteParams>, opts: { deep?: boolean } = {}): Promise<void> {
  for (const line of describeOutcome(await serveSite(ctx.params.host, opts))) await ctx.log(line);
}

/**
 * The runs of a step that found no front when asked whether it changes anything: their run does
 * not look again, so a front set up meanwhile is not served by a step that has no record.
 */
function frontlessRuns() {
  const runs = new WeakSet<object>();
  return {
    changesNothing(ctx: object): boolean {
      if (frontIsSetUp()) return false;
      runs.add(ctx);
      return true;
    },
    /** Whether this run was told there is no front (asked once: the next run of the step looks again). */
    told: (ctx: object) => runs.delete(ctx),
  };
}

const userless = frontlessRuns();

/**
 * A new site's own Unix user (once the front is set up), made before anything runs for the
 * site. Its undo removes the user it was given.
 */
export const siteUserStep: JobStep<SiteParams> = {
  name: 'unix user',
  // Without a front a site gets no user of its own: nothing to record before it.
  changesNothing: (ctx) => userless.changesNothing(ctx),
  async run(ctx) {
    const user = userless.told(ctx) ? null : await prepareSiteUser(ctx.params.host);
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
const unserved = frontlessRuns();

export const serveNewSiteStep: JobStep<SiteParams> = {
  name: 'serve',
  changesNothing: (ctx) => unserved.changesNothing(ctx),
  async run(ctx) {
    if (unserved.told(ctx)) await ctx.log(formatWorkerLine('frontNone'));
    else await serveNow(ctx, { deep: true });
  },
  async undo(ctx) {
    for (const line of describeOutcome(await serveSite(ctx.params.host, { absent: true }))) await ctx.log(line);
  },
};
