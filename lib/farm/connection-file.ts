import fs from 'node:fs';
import path from 'node:path';
import type { DbEngine } from '../domain/db-names';
import { parseEnvFile, withEnvValue } from '../domain/env-file';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { parseSpipConnect, withSpipConnectPassword } from '../domain/spip-connect';
import { writeFileAtomic } from './files';

export interface FoundConnection {
  profile: ProfileName;
  file: string;
  engine: DbEngine;
  host: string;
  port: number | null;
  user: string;
  password: string;
  database: string;
  tablePrefix: string;
}

const SPIP_ENGINES: Record<string, DbEngine> = { mysql: 'mysql', pg: 'postgresql', sqlite3: 'sqlite' };

/**
 * What a site folder's connection file says: SPIP's `config/connect.php` (an existing
 * SPIP farm) or Mutu's `config/mutu.env`. Null when there is none. Reads only.
 */
export function readConnectionFile(siteFolder: string): FoundConnection | null {
  const spip = path.join(siteFolder, PROFILES.spip.configFile);
  if (fs.existsSync(spip)) {
    const c = parseSpipConnect(fs.readFileSync(spip, 'utf8'));
    if (!c) throw new Error(`${spip} has no spip_connect_db(...) call`);
    const engine = SPIP_ENGINES[c.type];
    if (!engine) throw new Error(`${spip} uses the database type "${c.type}", which Mutu does not know`);
    return { profile: 'spip', file: spip, engine, host: c.host, port: c.port ? Number(c.port) : null, user: c.user, password: c.password, database: c.database, tablePrefix: c.prefix };
  }
  const env = path.join(siteFolder, PROFILES.generic.configFile);
  if (fs.existsSync(env)) {
    const v = parseEnvFile(fs.readFileSync(env, 'utf8'));
    const engine = v.DB_ENGINE as DbEngine;
    if (!['sqlite', 'mysql', 'postgresql'].includes(engine)) throw new Error(`${env} has no valid DB_ENGINE`);
    return { profile: 'generic', file: env, engine, host: v.DB_HOST ?? '', port: v.DB_PORT ? Number(v.DB_PORT) : null, user: v.DB_USER ?? '', password: v.DB_PASSWORD ?? '', database: v.DB_NAME ?? '', tablePrefix: v.DB_PREFIX ?? '' };
  }
  return null;
}

/** Replaces a file whole, keeping its mode and owner: the application must still read it. */
export function replaceKeepingOwner(file: string, content: string): void {
  const st = fs.statSync(file);
  writeFileAtomic(file, content, st.mode & 0o777, { uid: st.uid, gid: st.gid });
}

/**
 * Puts another password in a site folder's connection file (the one `readConnectionFile`
 * reads), changing nothing else in it. Returns the file.
 */
export function setConnectionPassword(siteFolder: string, password: string): string {
  const found = readConnectionFile(siteFolder);
  if (!found) throw new Error(`${siteFolder} has no connection file (config/connect.php or config/mutu.env)`);
  const text = fs.readFileSync(found.file, 'utf8');
  replaceKeepingOwner(found.file, found.profile === 'spip' ? withSpipConnectPassword(text, password) : withEnvValue(text, 'DB_PASSWORD', password));
  return found.file;
}

/** Puts `password` in the connection file unless it already holds it (no rewrite, no change of time). */
export function keepConnectionPassword(siteFolder: string, password: string): void {
  const found = readConnectionFile(siteFolder);
  if (found && found.password !== password) setConnectionPassword(siteFolder, password);
}
