import type { DbServer, Platform, Site } from '@prisma/client';
import { db } from '../db/client';
import { readOnce } from '../jobs/read-once';

/**
 * What a site job's steps read of the registry and do not change (the site's host and id, its
 * platform, its database server), read once per run of the job rather than in each step: the
 * memo lives as long as the run's context, and a job resumed or undone by another worker reads
 * them again. Its status and other columns a step changes are not to be read from here.
 */
export function siteOfJob(ctx: { params: { siteId: string; host: string } }): Promise<Site & { platform: Platform }> {
  return readOnce(ctx, 'job-site', async () => {
    const site = await db.site.findUnique({ where: { id: ctx.params.siteId }, include: { platform: true } });
    if (!site) throw new Error(`the site ${ctx.params.host} is no longer in the registry`);
    return site;
  });
}

export function serverOfJob(ctx: { params: { serverId: string } }): Promise<DbServer> {
  return readOnce(ctx, 'job-server', () => db.dbServer.findUniqueOrThrow({ where: { id: ctx.params.serverId } }));
}
