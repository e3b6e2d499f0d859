import * as z from 'zod';
import { say, translatedError, type ServiceErrorKey } from '../i18n/errors';
import { IDENTIFIER } from './db-names';

/** Words of the catalogue in one language: a form's schema says its hints in the reader's, the command line's in English. */
type Say = (key: ServiceErrorKey) => string;
const english: Say = (key) => say('en', key);

export const serverNameSchemaIn = (words: Say) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, words('serviceErrors.serverNameHint'));
export const serverNameSchema = serverNameSchemaIn(english);

const DEFAULT_PORT = { mysql: 3306, postgresql: 5432 } as const;

export interface ServerAddress {
  engine: 'mysql' | 'postgresql';
  host: string;
  port: number;
  adminUser: string;
  adminDatabase?: string;
}

/**
 * Reads `mysql://user@host:port` or `postgresql://user@host:port/admin_db`. A password in
 * the URL is refused: a command line is visible to every user of the machine.
 */
export function parseServerUrl(engine: 'mysql' | 'postgresql', text: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw translatedError((m) => new Error(m), 'serviceErrors.serverUrl', { text, example: `${engine}://user@127.0.0.1:${DEFAULT_PORT[engine]}` });
  }
  const schemes = engine === 'mysql' ? ['mysql:', 'mariadb:'] : ['postgresql:', 'postgres:'];
  if (!schemes.includes(url.protocol)) throw translatedError((m) => new Error(m), 'serviceErrors.serverScheme', { engine, scheme: schemes[0]! });
  if (url.password) throw translatedError((m) => new Error(m), 'serviceErrors.serverPasswordInUrl');
  if (!url.hostname) throw translatedError((m) => new Error(m), 'serviceErrors.serverNoHost');
  const adminDatabase = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  return {
    engine,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : DEFAULT_PORT[engine],
    adminUser: decodeURIComponent(url.username) || (engine === 'mysql' ? 'root' : 'postgres'),
    ...(adminDatabase ? { adminDatabase } : {}),
  };
}

/**
 * Where a MySQL site account may connect from. Local servers get the address the sites
 * use; a remote server needs the admin to say where the web servers are (never `%` by default).
 */
export function defaultHostMask(host: string): string | null {
  if (host === 'localhost' || host.startsWith('/')) return 'localhost';
  if (host === '127.0.0.1' || host === '::1') return host;
  return null;
}

export const addServerSchemaIn = (words: Say) =>
  z.object({
    name: serverNameSchemaIn(words),
    engine: z.enum(['mysql', 'postgresql'], words('serviceErrors.serverEngineHint')),
    url: z.string().trim().min(1, words('serviceErrors.serverUrlHint')),
    password: z.string().max(1024).default(''),
    // An empty field means "the default": "" would otherwise win over the default mask.
    hostMask: z.string().trim().optional().transform((v) => v || undefined),
    sharedDatabase: z.string().trim().regex(IDENTIFIER, words('serviceErrors.dbSharedNameHint')).max(63, words('serviceErrors.dbSharedNameHint')).optional().or(z.literal('').transform(() => undefined)),
    makeDefault: z.boolean().default(false),
  });
export const addServerSchema = addServerSchemaIn(english);
export type AddServerInput = z.input<typeof addServerSchema>;

const ENGINE_LABELS: Record<string, string> = { sqlite: 'SQLite', mysql: 'MariaDB/MySQL', postgresql: 'PostgreSQL' };

/** How an engine is named to people. */
export const engineLabel = (engine: string): string => ENGINE_LABELS[engine] ?? engine;

/** The names a connection file may give a server on this machine. */
const isLocal = (host: string) => host === '' || host === 'localhost' || host === '127.0.0.1' || host === '::1' || host.startsWith('/');

/**
 * Whether a connection (what a site's connection file says) reaches this registered server:
 * the same engine, the same host (the local names, "" for SPIP, count as one), and the same
 * port when the connection gives one.
 */
export function connectionReachesServer(
  server: { engine: string; host: string; port: number },
  connection: { engine: string; host: string; port: number | null },
): boolean {
  if (server.engine !== connection.engine) return false;
  const sameHost = server.host === connection.host || (isLocal(server.host) && isLocal(connection.host));
  return sameHost && (!connection.port || !server.port || connection.port === server.port);
}
