import fs from 'node:fs';
import { translatedError } from '../i18n/errors';
import path from 'node:path';
import { Prisma } from '@prisma/client';
import { config } from '../config';
import { seal } from '../crypto/secret-box';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { siteHosts } from '../domain/host';
import { PROFILES } from '../domain/profiles';
import { connectionReachesServer } from '../domain/server';
import { embeddedServer } from '../databases';
import { proveSiteLogin } from '../databases/site-login';
import { readConnectionFile } from '../farm/connection-file';
import { siteDir } from '../farm/paths';
import { sharedAccount } from './shared-account';
import { SiteError } from './errors';

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/**
 * Brings a folder found by the scan under Mutu: a registry entry for the site, its www.
 * alias and its database as its connection file describes them, once the site's own login to
 * that database is proved to work. Nothing is changed on disk or in any database. The
 * database's server must be registered first. Mutu did not make that database and user:
 * destroying the site keeps them unless the admin asks (`createdByMutu` stays false).
 */
export async function adoptSite(actor: Actor, host: string, opts: { platform?: string } = {}) {
  const { host: canonical, wwwAlias } = siteHosts(host);
  if (canonical !== host.trim().toLowerCase()) throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptNotCanonical', { host });
  const dir = siteDir(config().farmRoot, canonical);
  if (!fs.existsSync(dir)) throw translatedError((m) => new SiteError(m, 404), 'serviceErrors.adoptNoFolder', { dir });
  if (await db.site.findUnique({ where: { host: canonical } })) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.adoptAlready', { host: canonical });
  const found = readConnectionFile(dir);
  if (!found) throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptNoConnection', { dir });

  const platform = opts.platform
    ? await db.platform.findUnique({ where: { name: opts.platform } })
    : await db.platform.findFirst({ where: { profile: found.profile, status: 'active' }, orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }] });
  if (!platform) throw opts.platform
      ? translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptNoPlatformNamed', { name: opts.platform })
      : translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptNoProfilePlatform', { profile: found.profile });

  const server =
    found.engine === 'sqlite'
      ? await embeddedServer()
      : (await db.dbServer.findMany({ where: { engine: found.engine }, orderBy: { createdAt: 'asc' } })).find((s) => connectionReachesServer(s, found));
  if (!server) {
    throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptServerUnknown', { engine: found.engine, address: `${found.host}${found.port ? `:${found.port}` : ''}` });
  }
  // A folder whose database is gone or whose password is refused is a broken site, not an active one.
  const sqliteFolder = path.join(dir, PROFILES[platform.profile].sqliteFolder);
  try {
    await proveSiteLogin(server, { ...found, sqliteFile: found.engine === 'sqlite' ? path.join(sqliteFolder, `${found.database}.sqlite`) : undefined });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw translatedError((m) => new SiteError(m, 422), 'serviceErrors.adoptLoginFailed', { host: canonical, reason, file: found.file, server: server.name });
  }

  const base = { serverId: server.id, name: found.database, user: found.user, passwordEnc: seal(config().secretKey, found.password), tablePrefix: found.tablePrefix };
  // In the server's own shared database, slots are the ones provisioning gives; elsewhere the database is named too.
  const sharedSlot = (prefix: string) => (found.database === sharedAccount(server).database ? `prefix:${prefix}` : `prefix:${found.database}.${prefix}`);
  let site;
  try {
    site = await db.$transaction(async (tx) => {
      let shared = false;
      let slot: string;
      if (server.engine === 'sqlite') {
        // Each SQLite database is a file in its site's own folder: one name in two folders is two databases.
        slot = `file:${canonical}/${found.database}`;
      } else {
        const sharers = await tx.siteDatabase.findMany({ where: { serverId: server.id, name: found.database }, include: { site: { select: { host: true } } } });
        const twin = sharers.find((r) => r.tablePrefix === found.tablePrefix);
        if (twin) {
          throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.adoptTablesOwned', { host: canonical, prefix: found.tablePrefix, database: found.database, server: server.name, owner: twin.site.host });
        }
        // Another site already has this database: SPIP's shared mode, told apart by the prefix. A
        // site that held the whole database becomes one of its sharers: destroying it must then
        // drop its own tables only, never the database the others live in.
        shared = sharers.length > 0;
        slot = shared ? sharedSlot(found.tablePrefix) : `db:${found.database}`;
        for (const r of sharers.filter((r) => !r.shared)) {
          await tx.siteDatabase.update({ where: { id: r.id }, data: { shared: true, slot: sharedSlot(r.tablePrefix) } });
        }
      }
      return tx.site.create({
        data: {
          host: canonical,
          status: 'active',
          platformId: platform.id,
          aliases: { create: [{ host: wwwAlias, redirect: true }] },
          database: { create: { ...base, shared, slot } },
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.adoptRaced', { host: canonical });
    throw err;
  }
  await recordAudit(actor, { action: 'site.adopt', siteId: site.id, siteHost: canonical, details: { platform: platform.name, server: server.name, database: found.database, prefix: found.tablePrefix } });
  return { site, platform, server, connection: found };
}
