import type { SiteDbAccess } from '../databases/site-access';
import { writeSecretFile } from '../databases/run-tool';
import { renderEnvFile } from '../domain/profiles';
import { JOB_MARK } from '../upgrades/leftovers';

export interface CommandSite {
  host: string;
  siteDir: string;
  platformDir: string;
  oldPlatformDir: string;
  version: string;
  oldVersion: string;
}

/**
 * The upgrade command's whole environment. The database settings travel here (and in a
 * 0600 file named by MUTU_DB_FILE, for programs that read one) and never in its arguments,
 * which any user of the machine can read in the process list.
 */
export function commandEnv(jobId: string, site: CommandSite, access: SiteDbAccess, secretDir: string): Record<string, string> {
  const engine = access.server.engine;
  const values = {
    engine,
    host: engine === 'sqlite' ? '' : access.server.host || '127.0.0.1',
    port: access.server.port || (engine === 'mysql' ? 3306 : engine === 'postgresql' ? 5432 : null),
    user: access.user,
    password: access.password,
    database: access.database,
    tablePrefix: access.tablePrefix,
    file: access.sqliteFile,
  };
  const dbFile = writeSecretFile(secretDir, 'db.env', renderEnvFile(values));
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    LANG: process.env.LANG ?? 'C.UTF-8',
    [JOB_MARK]: jobId,
    MUTU_HOST: site.host,
    MUTU_SITE_DIR: site.siteDir,
    MUTU_PLATFORM_DIR: site.platformDir,
    MUTU_OLD_PLATFORM_DIR: site.oldPlatformDir,
    MUTU_PLATFORM_VERSION: site.version,
    MUTU_OLD_PLATFORM_VERSION: site.oldVersion,
    DB_ENGINE: engine,
    DB_HOST: values.host,
    DB_PORT: values.port ? String(values.port) : '',
    DB_NAME: access.database,
    DB_USER: engine === 'sqlite' ? '' : access.user,
    DB_PASSWORD: engine === 'sqlite' ? '' : access.password,
    DB_PREFIX: access.tablePrefix,
    DB_FILE: access.sqliteFile ?? '',
    MUTU_DB_FILE: dbFile,
  };
}
