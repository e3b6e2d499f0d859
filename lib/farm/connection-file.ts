import fs from 'node:fs';
import path from 'node:path';
import type { DbEngine } from '../domain/db-names';
import { parseEnvFile } from '../domain/env-file';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { parseSpipConnect } from '../domain/spip-connect';

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
