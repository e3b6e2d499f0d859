import fs from 'node:fs';
import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import type { Translatable, Translation } from '../domain/errors';
import { HostError, normalizeHost, siteHosts } from '../domain/host';
import { say, type ServiceErrorKey } from '../i18n/errors';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { withDriver } from '../databases';
import { readConnectionFile } from '../farm/connection-file';
import { farmPaths, siteDir } from '../farm/paths';

export interface UnknownFolder {
  host: string;
  dir: string;
  /** why it cannot be adopted as it is, if so, in English (the CLI's words) */
  problem?: string;
  /** the same, as a catalogue key and its values, when it has one: the page words it in its reader's language */
  problemWords?: Translation;
  connection?: { profile: ProfileName; engine: string; host: string; port: number | null; user: string; database: string; tablePrefix: string };
}

export interface ScanReport {
  scannedAt: Date;
  folders: number;
  sites: number;
  unknownFolders: UnknownFolder[];
  missingFolders: { host: string; dir: string }[];
  missingDatabases: { host: string; database: string; server: string }[];
  unreachableServers: { server: string; error: string }[];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Sets a folder's problem from the catalogue: English words for the CLI, the key for the page. */
function problemOf(entry: UnknownFolder, key: ServiceErrorKey, values: Record<string, string> = {}) {
  entry.problem = say('en', key, values);
  entry.problemWords = { key, values };
}

function siteFolderNames(): string[] {
  const sitesDir = farmPaths(config().farmRoot).sites;
  return fs.existsSync(sitesDir) ? fs.readdirSync(sitesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
}

/**
 * The folders of `sites/` no registered site owns (`known`: the registered hosts), with
 * what their connection file says, password left out, or why they cannot be adopted.
 */
export function unknownFolders(known: Set<string>, folders = siteFolderNames()): UnknownFolder[] {
  const sitesDir = farmPaths(config().farmRoot).sites;
  return folders
    .filter((f) => !known.has(f))
    .sort()
    .map((name) => {
      const entry: UnknownFolder = { host: name, dir: path.join(sitesDir, name) };
      try {
        if (normalizeHost(name) !== name) problemOf(entry, 'serviceErrors.scanNotCanonical', { host: normalizeHost(name) });
        else if (siteHosts(name).host !== name) problemOf(entry, 'serviceErrors.scanWwwAlias', { host: siteHosts(name).host });
        const c = readConnectionFile(entry.dir);
        if (c) entry.connection = { profile: c.profile, engine: c.engine, host: c.host, port: c.port, user: c.user, database: c.database, tablePrefix: c.tablePrefix };
        else if (!entry.problem) problemOf(entry, 'serviceErrors.scanNoConnection');
      } catch (err) {
        if (err instanceof HostError) problemOf(entry, 'serviceErrors.scanNotHost');
        else {
          entry.problem = errorText(err);
          entry.problemWords = (err as Translatable).translation;
        }
      }
      return entry;
    });
}

/**
 * Compares the farm folder with the registry, reading only: folders nobody knows (with
 * what their connection file says, password left out), sites whose folder or database is
 * gone, and servers that could not be asked.
 */
export async function scanFarm(): Promise<ScanReport> {
  const folders = siteFolderNames();
  const sites = await db.site.findMany({ select: { host: true, status: true, platform: { select: { profile: true } }, database: { include: { server: true } } } });
  const known = new Set(sites.map((s) => s.host));
  const report: ScanReport = { scannedAt: new Date(), folders: folders.length, sites: sites.length, unknownFolders: unknownFolders(known, folders), missingFolders: [], missingDatabases: [], unreachableServers: [] };

  const byServer = new Map<string, { server: DbServer; names: Set<string> | null }>();
  for (const site of sites) {
    if (site.status === 'provisioning') continue;
    const dir = siteDir(config().farmRoot, site.host);
    if (!fs.existsSync(dir)) report.missingFolders.push({ host: site.host, dir });
    const rec = site.database;
    if (!rec) continue;
    if (rec.server.engine === 'sqlite') {
      const profile = PROFILES[site.platform.profile];
      if (!fs.existsSync(path.join(dir, profile.sqliteFolder, `${rec.name}.sqlite`))) report.missingDatabases.push({ host: site.host, database: rec.name, server: rec.server.name });
      continue;
    }
    let listed = byServer.get(rec.serverId);
    if (!listed) {
      listed = { server: rec.server, names: null };
      try {
        listed.names = new Set(await withDriver(rec.server, undefined, (d) => d.listDatabases()));
      } catch (err) {
        report.unreachableServers.push({ server: rec.server.name, error: errorText(err) });
      }
      byServer.set(rec.serverId, listed);
    }
    if (listed.names && !listed.names.has(rec.name)) report.missingDatabases.push({ host: site.host, database: rec.name, server: rec.server.name });
  }
  return report;
}
