import fs from 'node:fs';
import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import { HostError, normalizeHost, siteHosts } from '../domain/host';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { withDriver } from '../databases';
import { readConnectionFile } from '../farm/connection-file';
import { farmPaths, siteDir } from '../farm/paths';

export interface UnknownFolder {
  host: string;
  dir: string;
  /** why it cannot be adopted as it is, if so */
  problem?: string;
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
        if (normalizeHost(name) !== name) entry.problem = `the folder name is not a canonical host (it would be ${normalizeHost(name)})`;
        else if (siteHosts(name).host !== name) entry.problem = `the folder is named after the www. alias: rename it ${siteHosts(name).host} to adopt it`;
        const c = readConnectionFile(entry.dir);
        if (c) entry.connection = { profile: c.profile, engine: c.engine, host: c.host, port: c.port, user: c.user, database: c.database, tablePrefix: c.tablePrefix };
        else entry.problem ??= 'no connection file (config/connect.php or config/mutu.env)';
      } catch (err) {
        entry.problem = err instanceof HostError ? 'the folder name is not a valid host' : errorText(err);
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
