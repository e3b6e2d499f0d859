import type { DbServer } from '@prisma/client';
import { db } from '../db/client';
import { otherFolder, otherSite, type OtherUse } from '../domain/db-removal';
import { connectionReachesServer } from '../domain/server';
import { unknownFolders } from './scan';

/**
 * Who else uses a database of this server, the site `siteId` aside: the other registered
 * sites (on any registration of the same server), and the farm's unregistered folders whose
 * connection file names the server, as the scan finds them.
 */
export async function otherDatabaseUses(siteId: string, server: DbServer): Promise<OtherUse[]> {
  const sameServer = (await db.dbServer.findMany()).filter((s) => connectionReachesServer(server, s));
  const rows = await db.siteDatabase.findMany({
    where: { serverId: { in: sameServer.map((s) => s.id) }, siteId: { not: siteId } },
    select: { name: true, user: true, tablePrefix: true, site: { select: { host: true } } },
  });
  const known = new Set((await db.site.findMany({ select: { host: true } })).map((s) => s.host));
  return [
    ...rows.map((r) => ({ who: otherSite(r.site.host), database: r.name, user: r.user, tablePrefix: r.tablePrefix })),
    ...unknownFolders(known).flatMap((f) =>
      f.connection && connectionReachesServer(server, f.connection)
        ? [{ who: otherFolder(f.dir), database: f.connection.database, user: f.connection.user, tablePrefix: f.connection.tablePrefix }]
        : [],
    ),
  ];
}
