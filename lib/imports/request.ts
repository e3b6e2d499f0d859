import type { DbServer, Platform } from '@prisma/client';
import { translatedError } from '../i18n/errors';
import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { PROFILE_NAMES } from '../domain/profiles';
import { embeddedServer, resolveServer } from '../databases';
import { defaultPlatform, resolvePlatform } from '../platforms/service';
import { requestSite } from '../sites/request';
import { importHandler } from './import-handler';
import { ImportError, readExportSource, type ExportSource } from './source';

export interface ImportInput {
  /** the export's folder on this server */
  from: string;
  host: string;
  platform?: string;
  server?: string;
  webmaster?: string;
  /** SPIP's shared-database mode: refused (see below) */
  sharedDb?: boolean;
  /** the node whose disk will hold the site's files (its workers read the export from the same path) */
  node?: string;
}

const ENGINE_NAMES: Record<string, string> = { sqlite: 'the embedded SQLite', mysql: 'MariaDB/MySQL', postgresql: 'PostgreSQL' };

/** The platform named, or one of the export's profile: the default first. */
async function choosePlatform(src: ExportSource, name?: string): Promise<Platform> {
  const profile = src.manifest.profile;
  if (name) {
    const p = await resolvePlatform(name);
    if (p.profile !== profile) throw translatedError((m) => new ImportError(m, 422), 'serviceErrors.importOtherProfile', { profile, platform: p.name, platformProfile: p.profile });
    return p;
  }
  const def = await defaultPlatform();
  if (def.profile === profile) return def;
  // A profile Mutu does not know has no platform either (the registry's enum holds the known ones).
  const known = PROFILE_NAMES.find((n) => n === profile);
  const p = known ? await db.platform.findFirst({ where: { profile: known, status: 'active' }, orderBy: { name: 'asc' } }) : null;
  if (!p) throw translatedError((m) => new ImportError(m, 422), 'serviceErrors.importNoProfilePlatform', { profile });
  return p;
}

/** The server named, or one of the dump's engine: the default first. A dump only loads on its own engine. */
async function chooseServer(src: ExportSource, name?: string): Promise<DbServer> {
  const engine = src.manifest.engine;
  const server = await resolveServer(name);
  if (server.engine === engine) return server;
  if (name) throw translatedError((m) => new ImportError(m, 422), 'serviceErrors.importOtherEngine', { engine: String(ENGINE_NAMES[engine]), server: server.name, serverEngine: String(ENGINE_NAMES[server.engine]) });
  if (engine === 'sqlite') return embeddedServer();
  const found = await db.dbServer.findFirst({ where: { engine, status: 'active' }, orderBy: { name: 'asc' } });
  if (!found) throw translatedError((m) => new ImportError(m, 422), 'serviceErrors.importNoEngineServer', { engine: String(ENGINE_NAMES[engine]) });
  return found;
}

/**
 * Queues the import of an export as a new site: the folder's manifest is checked now (a
 * wrong folder is told at once), the checksums by the job. The site gets its own database
 * (an export from a shared database included, keeping its table prefix); importing into
 * SPIP's shared-database mode is refused, as its prefix would have to change in the dump.
 */
export async function requestImport(actor: Actor, input: ImportInput) {
  if (input.sharedDb) {
    throw translatedError((m) => new ImportError(m, 422), 'serviceErrors.importNoSharedDb');
  }
  const src = readExportSource(input.from);
  const platform = await choosePlatform(src, input.platform);
  const server = await chooseServer(src, input.server);
  const r = await requestSite(
    actor,
    { host: input.host, platform: platform.name, server: server.name, sharedDb: false, webmaster: input.webmaster, node: input.node },
    { job: { handler: importHandler, params: { source: src.dir } } },
  );
  return { ...r, manifest: src.manifest };
}
