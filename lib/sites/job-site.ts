import { type DbServer, type Platform, type Site } from '@prisma/client';
import { modelRowsNow } from '../db/model-rows';
import { readOnce } from '../jobs/read-once';
import sql from 'sql-template-tag';

/**
 * What a site job's steps read of the registry and do not change (the site's host and id, its
 * platform, its database server), read once per run of the job rather than in each step: the
 * memo lives as long as the run's context, and a job resumed or undone by another worker reads
 * them again. Its status and other columns a step changes are not to be read from here.
 * Raw reads (modelRowsNow): every new site pays them, and a model query's compile costs more
 * than the statement.
 */
export function siteOfJob(ctx: { params: { siteId: string; host: string } }): Promise<Site & { platform: Platform }> {
  return readOnce(ctx, 'job-site', async () => {
    const [site] = await modelRowsNow('Site', sql`SELECT * FROM "Site" WHERE "id" = ${ctx.params.siteId}`);
    if (!site) throw new Error(`the site ${ctx.params.host} is no longer in the registry`);
    const [platform] = await modelRowsNow('Platform', sql`SELECT * FROM "Platform" WHERE "id" = ${site.platformId}`);
    if (!platform) throw new Error(`the platform of ${ctx.params.host} is no longer in the registry`);
    return { ...site, platform };
  });
}

export function serverOfJob(ctx: { params: { serverId: string } }): Promise<DbServer> {
  return readOnce(ctx, 'job-server', async () => {
    const [server] = await modelRowsNow('DbServer', sql`SELECT * FROM "DbServer" WHERE "id" = ${ctx.params.serverId}`);
    if (!server) throw new Error(`the database server ${ctx.params.serverId} is no longer in the registry`);
    return server;
  });
}
