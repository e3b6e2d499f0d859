import type { DbServer } from '@prisma/client';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { jsonObject } from '../db/json';

// The client libraries are loaded on first connection: a command that never reaches a server
// (most `mutu` commands) starts without them.

export const CONNECT_TIMEOUT_MS = 5000;

type ServerAddress = Pick<DbServer, 'host' | 'port' | 'adminUser' | 'options'>;

export const serverOptions = (server: Pick<DbServer, 'options'>): Record<string, unknown> => jsonObject(server.options);

/** A MySQL/MariaDB connection; a host starting with "/" is a socket path. */
export async function mysqlConnection(
  server: ServerAddress,
  credentials: { user?: string; password: string; database?: string },
): Promise<mysql.Connection> {
  const socket = server.host.startsWith('/');
  const { default: mysql } = await import('mysql2/promise');
  return mysql.createConnection({
    ...(socket ? { socketPath: server.host } : { host: server.host || '127.0.0.1', port: server.port || 3306 }),
    user: credentials.user ?? (server.adminUser || 'root'),
    password: credentials.password,
    database: credentials.database,
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  });
}

/** A connected PostgreSQL client (to the admin database unless another is named). */
export async function postgresClient(
  server: ServerAddress,
  credentials: { user?: string; password: string; database?: string },
): Promise<pg.Client> {
  const adminDb = serverOptions(server).adminDatabase;
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: server.host || '127.0.0.1',
    port: server.port || 5432,
    user: credentials.user ?? (server.adminUser || 'postgres'),
    password: credentials.password,
    database: credentials.database ?? (typeof adminDb === 'string' && adminDb ? adminDb : 'postgres'),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An error after connect (a server restart) would otherwise crash the process.
  client.on('error', () => {});
  await client.connect();
  return client;
}
