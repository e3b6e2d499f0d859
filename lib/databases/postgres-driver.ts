import type { DbServer } from '@prisma/client';
import type pg from 'pg';
import { postgresScramVerifier, scramVerifierMatches } from '../crypto/db-password-hash';
import { assertIdentifier } from '../domain/db-names';
import { postgresClient } from './connections';
import type { DbDriver, SiteDbSpec } from './driver';

const q = (name: string) => `"${assertIdentifier(name)}"`;
/** A SCRAM verifier is base64 and `$:`; escaping is a second guard, not the first. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
/** PostgreSQL stores a SCRAM verifier given as the password as it is: the statement never holds the password. */
const passwordClause = (password: string) => `PASSWORD ${literal(postgresScramVerifier(password))}`;

/** PostgreSQL: a login role per site owning its database, which no other role may connect to. */
export class PostgresDriver implements DbDriver {
  readonly engine = 'postgresql' as const;
  private client?: pg.Client;

  constructor(private readonly server: DbServer, private readonly adminPassword: string) {}

  private async c(): Promise<pg.Client> {
    if (!this.client) {
      const client = await postgresClient(this.server, { password: this.adminPassword });
      // A connection lost while kept idle (admin-pool.ts) is not used again.
      client.on('error', () => (this.broken = true));
      client.on('end', () => (this.broken = true));
      this.client = client;
    }
    return this.client;
  }

  private broken = false;

  reusable() {
    return !this.broken;
  }

  async ping() {
    const r = await (await this.c()).query<{ v: string }>('SHOW server_version');
    return `PostgreSQL ${r.rows[0]?.v}`;
  }

  async databaseExists(database: string) {
    const r = await (await this.c()).query('SELECT 1 FROM pg_database WHERE datname = $1', [assertIdentifier(database)]);
    return (r.rowCount ?? 0) > 0;
  }

  async listDatabases() {
    const r = await (await this.c()).query<{ n: string }>('SELECT datname AS n FROM pg_database WHERE NOT datistemplate');
    return r.rows.map((row) => row.n);
  }

  async userExists(user: string) {
    const r = await (await this.c()).query('SELECT 1 FROM pg_roles WHERE rolname = $1', [assertIdentifier(user)]);
    return (r.rowCount ?? 0) > 0;
  }

  async createDatabase(database: string) {
    const c = await this.c();
    await c.query(`CREATE DATABASE ${q(database)} ENCODING 'UTF8' TEMPLATE template0`);
    await c.query(`REVOKE ALL ON DATABASE ${q(database)} FROM PUBLIC`);
  }

  async dropDatabase(database: string) {
    await (await this.c()).query(`DROP DATABASE IF EXISTS ${q(database)} WITH (FORCE)`);
  }

  async createUser(spec: SiteDbSpec) {
    const c = await this.c();
    await c.query(`CREATE ROLE ${q(spec.user)} LOGIN ${passwordClause(spec.password)}`);
    await this.grantDatabase(spec);
  }

  /** The owner may connect and create tables; CONNECT was revoked from everyone else. (In shared mode the user is the shared account, owner of the shared database.) */
  async grantDatabase(spec: SiteDbSpec) {
    await (await this.c()).query(`ALTER DATABASE ${q(spec.database)} OWNER TO ${q(spec.user)}`);
  }

  async setPassword(user: string, password: string) {
    await (await this.c()).query(`ALTER ROLE ${q(user)} ${passwordClause(password)}`);
  }

  async passwordMatches(user: string, password: string) {
    try {
      const r = await (await this.c()).query<{ p: string | null }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [assertIdentifier(user)]);
      const stored = r.rows[0]?.p;
      return !!stored && scramVerifierMatches(stored, password);
    } catch (err) {
      if ((err as { code?: string }).code === '42501') return null; // not a superuser: pg_authid is out of reach
      throw err;
    }
  }

  /**
   * From pg_shdepend, which records across every database what a role owns and where it
   * was granted rights: the databases concerned, and `*` for the server's shared objects.
   */
  async accountReach(user: string) {
    const r = await (await this.c()).query<{ d: string }>(
      `SELECT DISTINCT CASE WHEN s.dbid <> 0 THEN (SELECT datname FROM pg_database WHERE oid = s.dbid)
                            WHEN s.classid = 'pg_database'::regclass THEN (SELECT datname FROM pg_database WHERE oid = s.objid)
                            ELSE '*' END AS d
       FROM pg_shdepend s JOIN pg_roles r ON r.oid = s.refobjid
       WHERE s.refclassid = 'pg_authid'::regclass AND r.rolname = $1`,
      [assertIdentifier(user)],
    );
    return r.rows.map((row) => row.d ?? '*').sort();
  }

  async listTables(database: string, prefix?: string) {
    const site = await postgresClient(this.server, { password: this.adminPassword, database: assertIdentifier(database) });
    try {
      const r = await site.query<{ t: string }>(
        `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ${prefix ? 'AND starts_with(tablename, $1)' : ''} ORDER BY tablename`,
        prefix ? [`${assertIdentifier(prefix)}_`] : [],
      );
      return r.rows.map((row) => row.t);
    } finally {
      await site.end().catch(() => {});
    }
  }

  /**
   * No REASSIGN OWNED or DROP OWNED: they act on whatever the role owns or may use in the
   * current database and on every database it owns, another site's included. A site's role
   * owns its database only, dropped before it; anything else left makes DROP ROLE refuse.
   */
  async dropUser(user: string) {
    await (await this.c()).query(`DROP ROLE IF EXISTS ${q(user)}`);
  }

  async dropPrefixedTables(database: string, prefix: string) {
    const site = await postgresClient(this.server, { password: this.adminPassword, database: assertIdentifier(database) });
    try {
      const r = await site.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND starts_with(tablename, $1)",
        [`${assertIdentifier(prefix)}_`],
      );
      for (const row of r.rows) await site.query(`DROP TABLE IF EXISTS public.${q(row.t)} CASCADE`);
      return r.rows.length;
    } finally {
      await site.end().catch(() => {});
    }
  }

  async sizeBytes(spec: Pick<SiteDbSpec, 'database' | 'tablePrefix' | 'shared'>) {
    if (!spec.shared) {
      const r = await (await this.c()).query<{ b: string }>('SELECT pg_database_size($1) AS b', [assertIdentifier(spec.database)]);
      return Number(r.rows[0]?.b ?? 0);
    }
    const site = await postgresClient(this.server, { password: this.adminPassword, database: assertIdentifier(spec.database) });
    try {
      const r = await site.query<{ b: string }>(
        "SELECT COALESCE(SUM(pg_total_relation_size(quote_ident(tablename))), 0) AS b FROM pg_tables WHERE schemaname = 'public' AND starts_with(tablename, $1)",
        [`${spec.tablePrefix}_`],
      );
      return Number(r.rows[0]?.b ?? 0);
    } finally {
      await site.end().catch(() => {});
    }
  }

  async close() {
    const client = this.client;
    this.client = undefined;
    this.broken = true;
    await client?.end().catch(() => {});
  }
}
