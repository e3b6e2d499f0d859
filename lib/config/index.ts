import fs from 'node:fs';
import path from 'node:path';
import { envSchema } from './schema';
import { dataDir, registryUrl } from './registry-url';
import { loadSecretKey } from './secret-key';
import { dataFolderMode } from './private-files';
import { ConfigError } from './error';

// Their values never appear in an error message: it ends up in terminals and logs.
// MUTU_REGISTRY_URL may hold a PostgreSQL password.
const SECRET_VARIABLES = new Set(['MUTU_SECRET_KEY', 'MUTU_ADMIN_PASSWORD', 'MUTU_SMTP_URL', 'MUTU_REGISTRY_URL']);

export { ConfigError } from './error';

export interface MailSettings {
  transport: 'smtp' | 'outbox';
  smtpUrl?: string;
  outboxDir: string;
  from: string;
  operators: string[];
}

export interface Config {
  dataDir: string;
  farmRoot: string;
  registryUrl: string;
  secretKey: Buffer;
  secretKeySource: 'environment' | 'file';
  publicUrl: string;
  port: number;
  hostname: string;
  trustProxy: boolean;
  mail: MailSettings;
  firstAdmin: { email?: string; password?: string };
  worker: { concurrency: number; leaseSeconds: number };
  modes: { folder: number; secretFile: number };
  /** days a destroyed site's folder stays in the trash */
  trashDays: number;
  /** pre-upgrade snapshots (database dump and config) kept this many days, for undo */
  snapshotDays: number;
  /** an upgrade command still running after this long is killed with its process group */
  upgradeTimeoutMs: number;
  /** days an export's files stay downloadable before the sweeper deletes them */
  exportDays: number;
  /** daily database dumps kept in each site's db/ folder (0: no scheduled backups) */
  backupKeep: number;
  /** caps on an imported uploads archive: bytes of files and entries (archive bombs) */
  importCaps: { maxBytes: number; maxEntries: number };
  /** how sites are probed: through a front address (with the Host header) or each at its own host */
  health: { front?: string; scheme: 'http' | 'https'; timeoutMs: number };
  /** the ACME CA certificates come from (none: issuing is off; certificates can still be imported) */
  acme: {
    directory?: string;
    email?: string;
    /** a PEM file of CAs trusted, besides the system's, when talking to the directory only (a test CA) */
    caFile?: string;
  };
  /** the front web server and PHP pools Mutu drives (see lib/front) */
  front: {
    nginxDir: string;
    nginxConf: string;
    /** a file Mutu writes with the include line, in a folder nginx's http block includes ("" for none) */
    nginxInclude: string;
    /** PHP-FPM's folder of a version: `{version}` replaced by e.g. 8.2 */
    phpDir: string;
    /** PHP-FPM masters per PHP version, each holding a share of the pools (1: the version's own master, Debian's) */
    phpGroups: number;
    /** how nginx finds a request's site: a file per host read by njs (no reload per change), a map, or auto (files when nginx's js module is installed) */
    lookup: 'auto' | 'files' | 'map';
    /** where `mutu front setup` writes the groups' systemd template unit */
    systemdDir: string;
    listen: string[];
    /** the farm's HTTPS `listen` addresses (empty: no HTTPS) */
    listenTls: string[];
    runDir: string;
    webUser: string;
  };
}

/** Reads `.env` from the working folder when present; variables already set win. */
function loadDotEnv(): void {
  const file = path.resolve(/*turbopackIgnore: true*/ '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/** Validates the environment and derives Mutu's settings. Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  if (env === process.env) loadDotEnv();
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? 'environment');
        const shown = name in env && !SECRET_VARIABLES.has(name) ? ` (got ${JSON.stringify(env[name])})` : '';
        return `${name}: expected ${i.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const data = dataDir(env);
  const farmRoot = path.resolve(/*turbopackIgnore: true*/ e.MUTU_ROOT ?? path.join(data, 'farm'));
  const secret = loadSecretKey(data, e.MUTU_SECRET_KEY, dataFolderMode(data, farmRoot));
  return {
    dataDir: data,
    farmRoot,
    registryUrl: registryUrl(env),
    secretKey: secret.key,
    secretKeySource: secret.source,
    publicUrl: (e.MUTU_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    port: e.PORT,
    hostname: e.MUTU_HOSTNAME,
    trustProxy: e.MUTU_TRUST_PROXY,
    mail: {
      transport: e.MUTU_SMTP_URL ? 'smtp' : 'outbox',
      smtpUrl: e.MUTU_SMTP_URL,
      outboxDir: path.join(data, 'outbox'),
      from: e.MUTU_MAIL_FROM,
      operators: e.MUTU_OPERATORS,
    },
    firstAdmin: { email: e.MUTU_ADMIN_EMAIL, password: e.MUTU_ADMIN_PASSWORD },
    worker: { concurrency: e.MUTU_WORKER_CONCURRENCY, leaseSeconds: e.MUTU_JOB_LEASE_SECONDS },
    modes: { folder: e.MUTU_FOLDER_MODE, secretFile: e.MUTU_SECRET_FILE_MODE },
    trashDays: e.MUTU_TRASH_DAYS,
    snapshotDays: e.MUTU_SNAPSHOT_DAYS,
    upgradeTimeoutMs: e.MUTU_UPGRADE_TIMEOUT_SECONDS * 1000,
    exportDays: e.MUTU_EXPORT_DAYS,
    backupKeep: e.MUTU_BACKUP_KEEP,
    importCaps: { maxBytes: e.MUTU_IMPORT_MAX_GB * 1024 ** 3, maxEntries: e.MUTU_IMPORT_MAX_ENTRIES },
    health: { front: e.MUTU_HEALTH_FRONT, scheme: e.MUTU_HEALTH_SCHEME, timeoutMs: e.MUTU_HEALTH_TIMEOUT_SECONDS * 1000 },
    acme: { directory: e.MUTU_ACME_DIRECTORY, email: e.MUTU_ACME_EMAIL, caFile: e.MUTU_ACME_CA_FILE },
    front: {
      nginxDir: e.MUTU_FRONT_NGINX_DIR,
      nginxConf: e.MUTU_FRONT_NGINX_CONF,
      nginxInclude: e.MUTU_FRONT_NGINX_INCLUDE,
      phpDir: e.MUTU_FRONT_PHP_DIR,
      phpGroups: e.MUTU_FRONT_PHP_GROUPS,
      lookup: e.MUTU_FRONT_LOOKUP,
      systemdDir: e.MUTU_FRONT_SYSTEMD_DIR,
      listen: e.MUTU_FRONT_LISTEN,
      listenTls: e.MUTU_FRONT_LISTEN_TLS,
      runDir: e.MUTU_FRONT_RUN_DIR,
      webUser: e.MUTU_FRONT_WEB_USER,
    },
  };
}

let cached: Config | undefined;

/** The process's configuration, validated once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
