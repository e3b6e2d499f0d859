import type { DbServer } from '@prisma/client';
import type mysql from 'mysql2/promise';
import { config } from '../config';
import { open } from '../crypto/secret-box';
import { db } from '../db/client';
import { mysqlConnection, postgresClient } from './connections';

/** Engines that run as a server Mutu connects to (the embedded SQLite needs no connection). */
export const NETWORK_ENGINES = ['mysql', 'postgresql'] as const;

export interface PingResult {
  ok: boolean;
  /** the server's own version string, e.g. "10.11.19-MariaDB" or "PostgreSQL 15.20" */
  version?: string;
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

export async function listDbServers(): Promise<DbServer[]> {
  return db.dbServer.findMany({ orderBy: { name: 'asc' } });
}

/** A server by id or name; throws a message saying how to list them when there is none. */
export async function getDbServer(idOrName: string): Promise<DbServer> {
  const server = await db.dbServer.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] } });
  if (!server) throw new Error(`no database server has the id or name ${idOrName}; \`mutu doctor\` lists the registered ones`);
  return server;
}

/** The admin password, decrypted with the secret key; "" when none is stored. */
export function adminPassword(server: Pick<DbServer, 'adminPasswordEnc'>, secretKey: Buffer = config().secretKey): string {
  return server.adminPasswordEnc ? open(secretKey, server.adminPasswordEnc) : '';
}

/** "root@127.0.0.1:3306": where a server is, for messages (never with the password). */
export function serverAddress(server: Pick<DbServer, 'host' | 'port' | 'adminUser'>): string {
  const at = server.adminUser ? `${server.adminUser}@` : '';
  return `${at}${server.host || 'localhost'}${server.port ? `:${server.port}` : ''}`;
}

/** Node's connection errors sometimes carry no message (AggregateError over IPv4 and IPv6). */
function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return errorText(err.errors[0]);
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

async function pingMysql(server: DbServer, password: string, timeoutMs: number): Promise<string> {
  const conn = await mysqlConnection(server, { password });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>({ sql: 'SELECT VERSION() AS version', timeout: timeoutMs });
    return String(rows[0]?.version ?? 'unknown version');
  } finally {
    conn.destroy();
  }
}

async function pingPostgres(server: DbServer, password: string): Promise<string> {
  const client = await postgresClient(server, { password });
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${result.rows[0]?.server_version ?? 'unknown version'}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Connects to a registered server with its stored admin credentials and asks its version.
 * Never throws: the result says what went wrong, in words without the password.
 */
export async function pingServer(server: DbServer, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PingResult> {
  let password: string;
  try {
    password = adminPassword(server);
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
  const ping =
    server.engine === 'mysql'
      ? pingMysql(server, password, timeoutMs)
      : server.engine === 'postgresql'
        ? pingPostgres(server, password)
        : Promise.reject(new Error(`engine ${server.engine} has no server to connect to`));
  ping.catch(() => {}); // a late failure after the deadline is not worth a crash
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs + 1000);
  });
  try {
    return { ok: true, version: await Promise.race([ping, deadline]) };
  } catch (err) {
    const text = errorText(err);
    // Drivers echo what they were given in some messages; make sure the password is not among it.
    return { ok: false, error: password ? text.split(password).join('***') : text };
  } finally {
    clearTimeout(timer);
  }
}
