import type { DbEngine } from '../domain/db-names';

/** A site's database as a driver needs it. The password is plaintext in memory only. */
export interface SiteDbSpec {
  database: string;
  user: string;
  password: string;
  /** SPIP's shared-database mode: the site's tables are the ones with this prefix */
  tablePrefix: string;
  shared: boolean;
}

/**
 * One engine's operations on the server Mutu administers. Every name is checked against
 * ^[a-z][a-z0-9_]*$ then quoted; drops are idempotent so an undo can run twice.
 */
export interface DbDriver {
  readonly engine: DbEngine;
  /** the server's version, proving the admin credentials work */
  ping(): Promise<string>;
  databaseExists(database: string): Promise<boolean>;
  /** every database on the server (SQLite: the files of the site's folder), for reconciling */
  listDatabases(): Promise<string[]>;
  userExists(user: string): Promise<boolean>;
  createDatabase(database: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  /** Creates the site's own user, allowed on its database only. */
  createUser(spec: SiteDbSpec): Promise<void>;
  /** Gives the site's existing user its database again (after the database was re-created). */
  grantDatabase(spec: SiteDbSpec): Promise<void>;
  /** the tables of a database, or only those of one site's prefix in a shared database */
  listTables(database: string, prefix?: string): Promise<string[]>;
  dropUser(user: string): Promise<void>;
  /** Drops the tables of one site in a shared database. */
  dropPrefixedTables(database: string, prefix: string): Promise<number>;
  sizeBytes(spec: Pick<SiteDbSpec, 'database' | 'tablePrefix' | 'shared'>): Promise<number>;
  close(): Promise<void>;
}
