import type { DbServer } from '@prisma/client';
import type mysql from 'mysql2/promise';
import { mysqlNativeHash } from '../crypto/db-password-hash';
import { mysqlGrantDatabase, mysqlIdentifiedByHash, mysqlUnescapeGrant } from '../domain/db-accounts';
import { assertHostMask, assertIdentifier } from '../domain/db-names';
import { MutuError } from '../domain/errors';
import { mysqlConnection, serverOptions } from './connections';
import type { DbDriver, SiteDbSpec } from './driver';

const q = (name: string) => `\`${assertIdentifier(name)}\``;

/** MariaDB/MySQL: one database and one user per site, the user allowed from the server's host mask only. */
export class MysqlDriver implements DbDriver {
  readonly engine = 'mysql' as const;
  private conn?: mysql.Connection;
  private version?: string;
  private readonly hostMask: string;

  constructor(private readonly server: DbServer, private readonly adminPassword: string) {
    const mask = serverOptions(server).hostMask;
    this.hostMask = assertHostMask(typeof mask === 'string' && mask ? mask : 'localhost');
  }

  private async c(): Promise<mysql.Connection> {
    if (!this.conn) {
      const conn = await mysqlConnection(this.server, { password: this.adminPassword });
      // A connection lost while kept idle (admin-pool.ts) says so here, not as an uncaught error.
      conn.on('error', () => (this.broken = true));
      conn.on('end', () => (this.broken = true));
      this.conn = conn;
    }
    return this.conn;
  }

  private broken = false;

  reusable() {
    return !this.broken;
  }

  private account(user: string): string {
    return `'${assertIdentifier(user)}'@'${this.hostMask}'`;
  }

  /**
   * Every account of a user name, `'user'@'host'`: Mutu makes one, from the host mask, but an
   * adopted site's user may have several (`localhost` for the socket, an address for TCP),
   * and changing its password or dropping it means all of them.
   */
  private async accountsOf(user: string): Promise<string[]> {
    const c = await this.c();
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT Host AS h FROM mysql.user WHERE User = ? ORDER BY Host', [assertIdentifier(user)]);
    return rows.map((r) => c.format('?@?', [user, String(r.h)]));
  }

  async ping() {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    this.version = String(rows[0]?.v);
    return this.version;
  }

  /** `IDENTIFIED ...` with the password's hash, in the form this server (MariaDB or MySQL) takes. */
  private async identifiedBy(password: string): Promise<string> {
    return mysqlIdentifiedByHash(this.version ?? (await this.ping()), password);
  }

  /** Runs a statement setting a password, saying what to do when the server lacks the native hash. */
  private async passwordStatement(sql: string): Promise<void> {
    try {
      await (await this.c()).query(sql);
    } catch (err) {
      if ((err as { errno?: number }).errno === 1524) {
        throw new MutuError(`${this.server.name} has no mysql_native_password plugin, which Mutu needs to set passwords by their hash (MySQL 8.4: start it with mysql_native_password=ON)`, 422);
      }
      throw err;
    }
  }

  async databaseExists(database: string) {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [assertIdentifier(database)],
    );
    return rows.length > 0;
  }

  async listDatabases() {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA');
    return rows.map((r) => String(r.n));
  }

  async userExists(user: string) {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [assertIdentifier(user)]);
    return rows.length > 0;
  }

  async createDatabase(database: string) {
    await (await this.c()).query(`CREATE DATABASE ${q(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }

  async dropDatabase(database: string) {
    await (await this.c()).query(`DROP DATABASE IF EXISTS ${q(database)}`);
  }

  async createUser(spec: SiteDbSpec) {
    await this.passwordStatement(`CREATE USER ${this.account(spec.user)} ${await this.identifiedBy(spec.password)}`);
    await this.grantDatabase(spec);
  }

  async grantDatabase(spec: SiteDbSpec) {
    await (await this.c()).query(`GRANT ALL PRIVILEGES ON \`${mysqlGrantDatabase(spec.database)}\`.* TO ${this.account(spec.user)}`);
  }

  async setPassword(user: string, password: string) {
    const accounts = await this.accountsOf(user);
    if (!accounts.length) throw new Error(`the user ${user} has no account on ${this.server.name}`);
    const identified = await this.identifiedBy(password);
    for (const account of accounts) await this.passwordStatement(`ALTER USER ${account} ${identified}`);
  }

  async passwordMatches(user: string, password: string) {
    try {
      const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>('SELECT authentication_string AS h FROM mysql.user WHERE User = ?', [assertIdentifier(user)]);
      if (!rows.length) return false;
      const hash = mysqlNativeHash(password);
      return rows.every((r) => String(r.h) === hash);
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_TABLEACCESS_DENIED_ERROR') return null;
      throw err;
    }
  }

  async accountReach(user: string) {
    const grantees = await this.accountsOf(user);
    if (!grantees.length) return [];
    const definers = grantees.map((g) => g.replace(/'/g, ''));
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>(
      `SELECT '*' AS d FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (?) AND PRIVILEGE_TYPE <> 'USAGE'
       UNION SELECT TABLE_SCHEMA FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (?)
       UNION SELECT TABLE_SCHEMA FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (?)
       UNION SELECT TABLE_SCHEMA FROM information_schema.COLUMN_PRIVILEGES WHERE GRANTEE IN (?)
       UNION SELECT ROUTINE_SCHEMA FROM information_schema.ROUTINES WHERE DEFINER IN (?)
       UNION SELECT TABLE_SCHEMA FROM information_schema.VIEWS WHERE DEFINER IN (?)
       UNION SELECT TRIGGER_SCHEMA FROM information_schema.TRIGGERS WHERE DEFINER IN (?)
       UNION SELECT EVENT_SCHEMA FROM information_schema.EVENTS WHERE DEFINER IN (?)`,
      [grantees, grantees, grantees, grantees, definers, definers, definers, definers],
    );
    return [...new Set(rows.map((r) => mysqlUnescapeGrant(String(r.d))))].sort();
  }

  async listTables(database: string, prefix?: string) {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ${prefix ? "AND TABLE_NAME LIKE CONCAT(?, '\\_%')" : ''} ORDER BY TABLE_NAME`,
      prefix ? [assertIdentifier(database), assertIdentifier(prefix)] : [assertIdentifier(database)],
    );
    return rows.map((r) => String(r.t));
  }

  async dropUser(user: string) {
    for (const account of await this.accountsOf(user)) await (await this.c()).query(`DROP USER IF EXISTS ${account}`);
  }

  async dropPrefixedTables(database: string, prefix: string) {
    const c = await this.c();
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE CONCAT(?, '\\_%')",
      [assertIdentifier(database), assertIdentifier(prefix)],
    );
    for (const r of rows) await c.query(`DROP TABLE IF EXISTS ${q(database)}.${q(String(r.t))}`);
    return rows.length;
  }

  async sizeBytes(spec: Pick<SiteDbSpec, 'database' | 'tablePrefix' | 'shared'>) {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>(
      `SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS b FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = ? ${spec.shared ? "AND TABLE_NAME LIKE CONCAT(?, '\\_%')" : ''}`,
      spec.shared ? [spec.database, spec.tablePrefix] : [spec.database],
    );
    return Number(rows[0]?.b ?? 0);
  }

  async close() {
    const conn = this.conn;
    this.conn = undefined;
    this.broken = true;
    await conn?.end().catch(() => conn.destroy());
  }
}
