import fs from 'node:fs';
import type { DbServer } from '@prisma/client';
import { createClient } from '@libsql/client';
import type { RowDataPacket } from 'mysql2/promise';
import { mysqlConnection, postgresClient } from './connections';
import { withDriver } from '.';
import { adminPassword } from './servers';

export interface SiteLogin {
  database: string;
  user: string;
  password: string;
  /** the host the site's connection file names, when known: MySQL's "localhost" (or "") means its socket */
  host?: string;
  /** SQLite: the database file */
  sqliteFile?: string;
}

const MYSQL_PROBLEMS: Record<string, string> = {
  ER_BAD_DB_ERROR: 'the database {db} does not exist',
  ER_ACCESS_DENIED_ERROR: 'the user {user} cannot log in with this password',
  ER_DBACCESS_DENIED_ERROR: 'the user {user} may not use the database {db}',
};
const POSTGRES_PROBLEMS: Record<string, string> = {
  '3D000': 'the database {db} does not exist',
  '28P01': 'the user {user} cannot log in with this password',
  '28000': 'the user {user} may not log in to {db}',
  '42501': 'the user {user} may not connect to the database {db}',
};

/**
 * What went wrong, for people: known refusals by their code, anything else (unreachable
 * server) as it came. A missing database is told apart by asking the server's admin: to
 * an account without rights on it, MySQL answers "access denied" rather than "unknown".
 */
async function problem(server: DbServer, err: unknown, table: Record<string, string>, login: SiteLogin): Promise<string> {
  const exists = await withDriver(server, undefined, (d) => d.databaseExists(login.database)).catch(() => null);
  if (exists === false) return `the database ${login.database} does not exist`;
  const code = String((err as { code?: unknown }).code ?? '');
  const known = table[code];
  if (known) return known.replace('{db}', login.database).replace('{user}', login.user);
  return `the server cannot be reached as ${login.user}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * MySQL clients given "localhost" use the server's socket, where accounts `user@localhost`
 * match; over TCP the same login can be refused. Asked of a server on this machine only.
 */
async function mysqlSocketOf(server: DbServer): Promise<string | null> {
  if (server.host.startsWith('/')) return server.host;
  if (!['localhost', '127.0.0.1', '::1'].includes(server.host)) return null;
  const admin = await mysqlConnection(server, { password: adminPassword(server) });
  try {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT @@socket AS s');
    const socket = String(rows[0]?.s ?? '');
    return socket.startsWith('/') && fs.existsSync(socket) ? socket : null;
  } finally {
    await admin.end().catch(() => admin.destroy());
  }
}

/**
 * Logs in as the site itself, to its own database, as its application would: proof that
 * its credentials work. Throws an error saying what is wrong (no such database, password
 * refused, server unreachable). SQLite: the file exists and opens as a database.
 */
export async function proveSiteLogin(server: DbServer, login: SiteLogin): Promise<void> {
  switch (server.engine) {
    case 'sqlite': {
      const file = login.sqliteFile;
      // Checked first: opening a missing file would create it.
      if (!file || !fs.existsSync(file)) throw new Error(`the SQLite database file ${file ?? login.database} does not exist`);
      const client = createClient({ url: `file:${file}` });
      try {
        await client.execute('SELECT count(*) FROM sqlite_master');
      } catch (err) {
        throw new Error(`${file} does not open as a SQLite database: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        client.close();
      }
      return;
    }
    case 'mysql': {
      let conn: Awaited<ReturnType<typeof mysqlConnection>> | undefined;
      try {
        const socket = login.host === 'localhost' || login.host === '' ? await mysqlSocketOf(server) : null;
        conn = await mysqlConnection(socket ? { ...server, host: socket } : server, { user: login.user, password: login.password, database: login.database });
        await conn.query('SELECT 1');
      } catch (err) {
        throw new Error(await problem(server, err, MYSQL_PROBLEMS, login));
      } finally {
        await conn?.end().catch(() => conn?.destroy());
      }
      return;
    }
    case 'postgresql': {
      let client: Awaited<ReturnType<typeof postgresClient>> | undefined;
      try {
        client = await postgresClient(server, { user: login.user, password: login.password, database: login.database });
        await client.query('SELECT 1');
      } catch (err) {
        throw new Error(await problem(server, err, POSTGRES_PROBLEMS, login));
      } finally {
        await client?.end().catch(() => {});
      }
      return;
    }
    default:
      throw new Error(`unknown database engine ${server.engine}`);
  }
}
