import crypto from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { services } from './services';

/**
 * Looks at the real MariaDB and PostgreSQL servers as their admin, independently of Mutu's
 * drivers, so a test checks what is really there (and cleans up what it made).
 */
export interface ServerProbe {
  engine: 'mysql' | 'postgresql';
  /** databases whose name starts with `prefix` */
  databases(prefix: string): Promise<string[]>;
  /** accounts (MySQL users, PostgreSQL roles) whose name starts with `prefix` */
  users(prefix: string): Promise<string[]>;
  /** the tables of a database (PostgreSQL: its public schema) */
  tables(database: string): Promise<string[]>;
  dropDatabase(name: string): Promise<void>;
  dropUser(name: string): Promise<void>;
  close(): Promise<void>;
}

const ident = (name: string) => {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return name;
};
const likePrefix = (prefix: string) => `${prefix.replace(/[\\_%]/g, '\\$&')}%`;

export function mysqlAddress() {
  const url = new URL(services.mysqlUrl);
  return { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || 'root', password: decodeURIComponent(url.password) };
}

export function postgresAddress() {
  const url = new URL(services.postgresUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || 'postgres',
  };
}

/** A connection as any account, to see what that account may do. */
export function mysqlConnect(opts: { user?: string; password?: string; database?: string } = {}) {
  const a = mysqlAddress();
  return mysql.createConnection({ host: a.host, port: a.port, user: opts.user ?? a.user, password: opts.password ?? a.password, database: opts.database, connectTimeout: 5000 });
}

export async function postgresConnect(opts: { user?: string; password?: string; database?: string } = {}) {
  const a = postgresAddress();
  const client = new pg.Client({ host: a.host, port: a.port, user: opts.user ?? a.user, password: opts.password ?? a.password, database: opts.database ?? a.database, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export async function mysqlProbe(): Promise<ServerProbe> {
  const c = await mysqlConnect();
  const q = async (sql: string, args: unknown[] = []) => (await c.query<mysql.RowDataPacket[]>(sql, args))[0];
  return {
    engine: 'mysql',
    async databases(prefix) {
      return (await q('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1', [likePrefix(prefix)])).map((r) => String(r.n));
    },
    async users(prefix) {
      return (await q('SELECT DISTINCT User AS n FROM mysql.user WHERE User LIKE ? ORDER BY 1', [likePrefix(prefix)])).map((r) => String(r.n));
    },
    async tables(database) {
      return (await q('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [database])).map((r) => String(r.n));
    },
    async dropDatabase(name) {
      await c.query(`DROP DATABASE IF EXISTS \`${ident(name)}\``);
    },
    async dropUser(name) {
      for (const r of await q('SELECT Host AS h FROM mysql.user WHERE User = ?', [name])) {
        await c.query(`DROP USER IF EXISTS '${ident(name)}'@'${String(r.h).replace(/'/g, '')}'`);
      }
    },
    async close() {
      await c.end().catch(() => c.destroy());
    },
  };
}

export async function postgresProbe(): Promise<ServerProbe> {
  const c = await postgresConnect();
  const rows = async (sql: string, args: unknown[] = []) => (await c.query<{ n: string }>(sql, args)).rows.map((r) => r.n);
  return {
    engine: 'postgresql',
    databases: (prefix) => rows('SELECT datname AS n FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1', [prefix]),
    users: (prefix) => rows('SELECT rolname AS n FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY 1', [prefix]),
    async tables(database) {
      const site = await postgresConnect({ database });
      try {
        return (await site.query<{ n: string }>("SELECT tablename AS n FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.n);
      } finally {
        await site.end();
      }
    },
    async dropDatabase(name) {
      await c.query(`DROP DATABASE IF EXISTS "${ident(name)}" WITH (FORCE)`);
    },
    async dropUser(name) {
      if (!(await rows('SELECT rolname AS n FROM pg_roles WHERE rolname = $1', [name])).length) return;
      await c.query(`REASSIGN OWNED BY "${ident(name)}" TO CURRENT_USER`);
      await c.query(`DROP OWNED BY "${ident(name)}"`);
      await c.query(`DROP ROLE IF EXISTS "${ident(name)}"`);
    },
    async close() {
      await c.end().catch(() => {});
    },
  };
}

/**
 * Whether `password` is the one PostgreSQL holds for `role`, from its SCRAM-SHA-256 verifier.
 * The test servers trust local logins, so connecting proves nothing about the password:
 * this recomputes the stored and server keys (RFC 5802) from the password instead.
 */
export async function postgresPasswordMatches(role: string, password: string): Promise<boolean> {
  const c = await postgresConnect();
  try {
    const r = await c.query<{ p: string | null }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [role]);
    const verifier = r.rows[0]?.p;
    const m = verifier ? /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier) : null;
    if (!m) throw new Error(`the role ${role} has no SCRAM password`);
    const salted = crypto.pbkdf2Sync(password, Buffer.from(m[2]!, 'base64'), Number(m[1]), 32, 'sha256');
    const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
    const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
    const serverKey = hmac(salted, 'Server Key');
    return storedKey.toString('base64') === m[3] && serverKey.toString('base64') === m[4];
  } finally {
    await c.end();
  }
}
