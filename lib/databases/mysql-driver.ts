import type { DbServer } from '@prisma/client';
import type mysql from 'mysql2/promise';
import { assertHostMask, assertIdentifier } from '../domain/db-names';
import { mysqlConnection, serverOptions } from './connections';
import type { DbDriver, SiteDbSpec } from './driver';

const q = (name: string) => `\`${assertIdentifier(name)}\``;

/** MariaDB/MySQL: one database and one user per site, the user allowed from the server's host mask only. */
export class MysqlDriver implements DbDriver {
  readonly engine = 'mysql' as const;
  private conn?: mysql.Connection;
  private readonly hostMask: string;

  constructor(private readonly server: DbServer, private readonly adminPassword: string) {
    const mask = serverOptions(server).hostMask;
    this.hostMask = assertHostMask(typeof mask === 'string' && mask ? mask : 'localhost');
  }

  private async c(): Promise<mysql.Connection> {
    this.conn ??= await mysqlConnection(this.server, { password: this.adminPassword });
    return this.conn;
  }

  private account(user: string): string {
    return `'${assertIdentifier(user)}'@'${this.hostMask}'`;
  }

  async ping() {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    return String(rows[0]?.v);
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
    const c = await this.c();
    // The password travels as an escaped literal inside the statement: never in argv or a log of ours.
    await c.query(`CREATE USER ${this.account(spec.user)} IDENTIFIED BY ?`, [spec.password]);
    await this.grantDatabase(spec);
  }

  async grantDatabase(spec: SiteDbSpec) {
    await (await this.c()).query(`GRANT ALL PRIVILEGES ON ${q(spec.database)}.* TO ${this.account(spec.user)}`);
  }

  async listTables(database: string, prefix?: string) {
    const [rows] = await (await this.c()).query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ${prefix ? "AND TABLE_NAME LIKE CONCAT(?, '\\_%')" : ''} ORDER BY TABLE_NAME`,
      prefix ? [assertIdentifier(database), assertIdentifier(prefix)] : [assertIdentifier(database)],
    );
    return rows.map((r) => String(r.t));
  }

  async dropUser(user: string) {
    await (await this.c()).query(`DROP USER IF EXISTS ${this.account(user)}`);
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
    await this.conn?.end().catch(() => this.conn?.destroy());
    this.conn = undefined;
  }
}
