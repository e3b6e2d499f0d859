import mysql from 'mysql2/promise';
import pg from 'pg';

/** The local database servers the bench can use, reached as their admin without a password. */
export type NetworkEngine = 'mysql' | 'postgresql';

export interface ServerTarget {
  engine: NetworkEngine;
  /** what Mutu's `addServer` receives, e.g. mysql://root@127.0.0.1:3306 */
  url: string;
}

const CONNECT_TIMEOUT_MS = 3000;

export async function mysqlAdmin(url: string): Promise<mysql.Connection> {
  const u = new URL(url);
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
}

export async function postgresAdmin(url: string): Promise<pg.Client> {
  const u = new URL(url);
  const client = new pg.Client({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    database: u.pathname.replace(/^\//, '') || 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {}); // a server restart mid-run must not crash the process
  await client.connect();
  return client;
}

/** The server's version when it answers, else why not (never throws). */
export async function probe(target: ServerTarget): Promise<{ version?: string; error?: string }> {
  try {
    if (target.engine === 'mysql') {
      const c = await mysqlAdmin(target.url);
      try {
        const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
        const v = String(rows[0]?.v);
        return { version: `${/mariadb/i.test(v) ? 'MariaDB' : 'MySQL'} ${v}` };
      } finally {
        c.destroy();
      }
    }
    const c = await postgresAdmin(target.url);
    try {
      const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return { version: `PostgreSQL ${r.rows[0]?.v}` };
    } finally {
      await c.end().catch(() => {});
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { error: e.message || e.code || String(err) };
  }
}

/** Every database and user name the bench made starts with this: `mu_` (Mutu's own prefix) + the run's tag. */
export const benchPrefix = (tag: string) => `mu_${tag}`;

const likePattern = (tag: string) => `${benchPrefix(tag).replace(/_/g, '\\_')}%`;
const ours = (tag: string) => (name: string) => name.startsWith(benchPrefix(tag)) && /^[a-z][a-z0-9_]*$/.test(name);

export interface BenchObjects {
  databases: string[];
  users: string[];
}

/** The databases and users on a server whose names carry the run's tag. */
export async function listBenchObjects(target: ServerTarget, tag: string): Promise<BenchObjects> {
  if (target.engine === 'mysql') {
    const c = await mysqlAdmin(target.url);
    try {
      const [dbs] = await c.query<mysql.RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [likePattern(tag)]);
      const [users] = await c.query<mysql.RowDataPacket[]>('SELECT DISTINCT User AS n FROM mysql.user WHERE User LIKE ?', [likePattern(tag)]);
      return { databases: dbs.map((r) => String(r.n)).filter(ours(tag)), users: users.map((r) => String(r.n)).filter(ours(tag)) };
    } finally {
      c.destroy();
    }
  }
  const c = await postgresAdmin(target.url);
  try {
    const dbs = await c.query<{ n: string }>('SELECT datname AS n FROM pg_database WHERE datname LIKE $1', [likePattern(tag)]);
    const roles = await c.query<{ n: string }>('SELECT rolname AS n FROM pg_roles WHERE rolname LIKE $1', [likePattern(tag)]);
    return { databases: dbs.rows.map((r) => r.n).filter(ours(tag)), users: roles.rows.map((r) => r.n).filter(ours(tag)) };
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Drops every database and user carrying the run's tag: those Mutu made for the bench's
 * sites and those of the raw runs. The tag was checked unused on each server before the
 * run, so nothing else matches. Returns what it dropped.
 */
export async function dropBenchObjects(target: ServerTarget, tag: string): Promise<BenchObjects> {
  const found = await listBenchObjects(target, tag);
  if (target.engine === 'mysql') {
    const c = await mysqlAdmin(target.url);
    try {
      for (const d of found.databases) await c.query(`DROP DATABASE IF EXISTS \`${d}\``);
      const [accounts] = await c.query<mysql.RowDataPacket[]>('SELECT User AS u, Host AS h FROM mysql.user WHERE User LIKE ?', [likePattern(tag)]);
      for (const a of accounts) {
        if (ours(tag)(String(a.u))) await c.query('DROP USER IF EXISTS ?@?', [String(a.u), String(a.h)]);
      }
    } finally {
      c.destroy();
    }
    return found;
  }
  const c = await postgresAdmin(target.url);
  try {
    for (const d of found.databases) await c.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
    for (const u of found.users) {
      // Its databases are gone; what it could still own or hold is handed back before the drop.
      await c.query(`REASSIGN OWNED BY "${u}" TO CURRENT_USER`);
      await c.query(`DROP OWNED BY "${u}"`);
      await c.query(`DROP ROLE IF EXISTS "${u}"`);
    }
  } finally {
    await c.end().catch(() => {});
  }
  return found;
}
