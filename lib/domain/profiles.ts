import type { ProfileName } from '@prisma/client';
import type { DbEngine } from './db-names';
import type { ServiceErrorKey } from '../i18n/errors';
import { allOf } from './enums';
import { envQuote } from './env-file';
import { phpQuote } from './spip-connect';

export type { ProfileName };
export const PROFILE_NAMES = allOf<ProfileName>()(['spip', 'moodle', 'generic']);

/** What Mutu knows of one kind of application. */
export interface Profile {
  name: ProfileName;
  label: string;
  /** folders made in `sites/<host>/` */
  folders: string[];
  /** where the site's SQLite database file goes, relative to its folder */
  sqliteFolder: string;
  /** the connection file Mutu writes, relative to the site folder */
  configFile: string;
  /** the application's admin area, relative to the site's URL */
  adminPath: string;
  /** folders measured apart: uploaded documents, computed files (SPIP's local/), temporary files */
  usage: { uploads: string; cache?: string; tmp: string };
  /** the only folders the application may write once the front serves it (besides its database folder) */
  writable: string[];
  /** writable folders the front serves as static files, at /sites/<host>/<folder>/ (never as PHP) */
  public: string[];
  /**
   * The application adds files of its own to config/ (SPIP: its secret keys, cles.php): the
   * site's user may add files there, never change or remove Mutu's (the connection file).
   */
  writesConfig: boolean;
  /**
   * Files of the site's own secrets, relative to its folder and all inside `config/` (SPIP's
   * keys, config/cles.php: it encrypts tokens and peppers password hashes with them). An
   * export may carry them; a copy of the site without them cannot check its users' passwords.
   */
  secretFiles: string[];
  /**
   * The database engines the application can use, in the order a server is chosen for it
   * when none is named; and why it cannot use the others, as catalogue words (lib/domain/engines.ts says it).
   */
  engines: DbEngine[];
  unsupportedEngines: Partial<Record<DbEngine, ServiceErrorKey>>;
}

export const PROFILES: Record<ProfileName, Profile> = {
  spip: {
    name: 'spip',
    label: 'SPIP',
    folders: ['config', 'IMG', 'local', 'tmp', 'priv', 'log', 'db'],
    // SPIP's sqlite3 driver reads its files from _DIR_DB, the site's config/bases/
    sqliteFolder: 'config/bases',
    configFile: 'config/connect.php',
    adminPath: '/ecrire/',
    usage: { uploads: 'IMG', cache: 'local', tmp: 'tmp' },
    writable: ['IMG', 'local', 'tmp'],
    public: ['IMG', 'local'],
    writesConfig: true,
    secretFiles: ['config/cles.php'],
    engines: ['mysql', 'sqlite'],
    unsupportedEngines: { postgresql: 'serviceErrors.engineWhySpipPostgresql' },
  },
  moodle: {
    name: 'moodle',
    label: 'Moodle',
    folders: ['config', 'moodledata', 'tmp', 'log', 'db'],
    sqliteFolder: 'db',
    configFile: 'config/mutu.env',
    adminPath: '/admin/',
    usage: { uploads: 'moodledata', tmp: 'tmp' },
    writable: ['moodledata', 'tmp'],
    public: [],
    writesConfig: false,
    secretFiles: [],
    engines: ['mysql', 'postgresql'],
    unsupportedEngines: { sqlite: 'serviceErrors.engineWhyMoodleSqlite' },
  },
  generic: {
    name: 'generic',
    label: 'Generic PHP',
    folders: ['config', 'data', 'tmp', 'log', 'db'],
    sqliteFolder: 'db',
    configFile: 'config/mutu.env',
    adminPath: '/',
    usage: { uploads: 'data', tmp: 'tmp' },
    writable: ['data', 'tmp'],
    public: ['data'],
    writesConfig: false,
    secretFiles: [],
    engines: ['mysql', 'postgresql', 'sqlite'],
    unsupportedEngines: {},
  },
};

export interface ConnectionValues {
  engine: DbEngine;
  host: string;
  port: number | null;
  user: string;
  password: string;
  database: string;
  tablePrefix: string;
  /** for SQLite: the database file, absolute */
  file?: string;
}

const SPIP_TYPE: Record<DbEngine, string> = { mysql: 'mysql', postgresql: 'pg', sqlite: 'sqlite3' };

/** SPIP's `config/connect.php`, connect version 0.8, as SPIP's installer writes it. */
export function renderSpipConnect(v: ConnectionValues): string {
  const args = [
    v.engine === 'sqlite' ? '' : v.host,
    v.port ? String(v.port) : '',
    v.engine === 'sqlite' ? '' : v.user,
    v.engine === 'sqlite' ? '' : v.password,
    v.database,
    SPIP_TYPE[v.engine],
    v.tablePrefix,
    '',
    'utf8',
  ];
  return [
    '<?php',
    'if (!defined("_ECRIRE_INC_VERSION")) return;',
    "$GLOBALS['spip_connect_version'] = 0.8;",
    `spip_connect_db(${args.map(phpQuote).join(',')});`,
    '',
  ].join('\n');
}

/** A `.env`-style file for any application: one KEY='value' per line, shell-quoted. */
export function renderEnvFile(v: ConnectionValues): string {
  const lines: Record<string, string> = {
    DB_ENGINE: v.engine,
    DB_HOST: v.engine === 'sqlite' ? '' : v.host,
    DB_PORT: v.port ? String(v.port) : '',
    DB_NAME: v.database,
    DB_USER: v.engine === 'sqlite' ? '' : v.user,
    DB_PASSWORD: v.engine === 'sqlite' ? '' : v.password,
    DB_PREFIX: v.tablePrefix,
    DB_FILE: v.file ?? '',
  };
  return '# Written by Mutu: changes are overwritten.\n' + Object.entries(lines).map(([k, val]) => `${k}=${envQuote(val)}`).join('\n') + '\n';
}

export function renderConnectionFile(profile: ProfileName, v: ConnectionValues): string {
  return profile === 'spip' ? renderSpipConnect(v) : renderEnvFile(v);
}
