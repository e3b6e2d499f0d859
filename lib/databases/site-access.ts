import fs from 'node:fs';
import path from 'node:path';
import type { DbServer, ProfileName, SiteDatabase } from '@prisma/client';
import { config } from '../config';
import { open } from '../crypto/secret-box';
import { db } from '../db/client';
import { PROFILES } from '../domain/profiles';
import { siteDir } from '../farm/paths';
import { withDriver } from '.';
import { writeSecretFile } from './run-tool';

/** Everything needed to reach one site's database with the site's own account. */
export interface SiteDbAccess {
  host: string;
  server: DbServer;
  database: string;
  user: string;
  password: string;
  tablePrefix: string;
  shared: boolean;
  /** SQLite: the database file */
  sqliteFile?: string;
  sqliteFolder: string;
}

export async function siteDbAccess(siteId: string): Promise<SiteDbAccess> {
  const rec = await db.siteDatabase.findUnique({ where: { siteId }, include: { server: true, site: { include: { platform: true } } } });
  if (!rec) throw new Error('this site has no database in the registry');
  return siteDbAccessFrom(rec, rec.site);
}

/** The same, from the site's database record and the site as already read (its host, its platform's profile). */
export function siteDbAccessFrom(rec: SiteDatabase & { server: DbServer }, site: { host: string; platform: { profile: ProfileName } }): SiteDbAccess {
  const profile = PROFILES[site.platform.profile];
  const sqliteFolder = path.join(siteDir(config().farmRoot, site.host), profile.sqliteFolder);
  return {
    host: site.host,
    server: rec.server,
    database: rec.name,
    user: rec.user,
    password: open(config().secretKey, rec.passwordEnc),
    tablePrefix: rec.tablePrefix,
    shared: rec.shared,
    sqliteFolder,
    sqliteFile: rec.server.engine === 'sqlite' ? path.join(sqliteFolder, `${rec.name}.sqlite`) : undefined,
  };
}

/** The first of `names` found on the PATH (MariaDB's tools, else MySQL's). */
export function onPath(...names: string[]): string {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
      if (dir && fs.existsSync(path.join(dir, name))) return name;
    }
  }
  return names[0]!;
}

const mysqlQuote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A MySQL option file: the password reaches the tool through it, never through argv. */
export function mysqlOptionFile(dir: string, a: SiteDbAccess): string {
  const where = a.server.host.startsWith('/') ? `socket=${mysqlQuote(a.server.host)}` : `host=${mysqlQuote(a.server.host || '127.0.0.1')}\nport=${a.server.port || 3306}`;
  return writeSecretFile(dir, 'my.cnf', `[client]\nuser=${mysqlQuote(a.user)}\npassword=${mysqlQuote(a.password)}\n${where}\n`);
}

const pgpassEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');

/** A PostgreSQL password file (PGPASSFILE), for the same reason. */
export function pgEnv(dir: string, a: SiteDbAccess): Record<string, string> {
  const host = a.server.host || '127.0.0.1';
  const port = String(a.server.port || 5432);
  const file = writeSecretFile(dir, 'pgpass', `${pgpassEscape(host)}:${port}:*:${pgpassEscape(a.user)}:${pgpassEscape(a.password)}\n`);
  return { PGPASSFILE: file, PGHOST: host, PGPORT: port, PGUSER: a.user, PGDATABASE: a.database, PGCONNECT_TIMEOUT: '10' };
}

/** The site's own tables in a shared database; undefined when the site has its database to itself. */
export async function siteTables(a: SiteDbAccess): Promise<string[] | undefined> {
  if (!a.shared) return undefined;
  return withDriver(a.server, a.sqliteFolder, (d) => d.listTables(a.database, a.tablePrefix));
}
