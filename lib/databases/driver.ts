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
  /**
   * Changes an account's password. Like `createUser`, it sends the server only the hash
   * (MariaDB/MySQL native hash, PostgreSQL SCRAM verifier): no statement log holds the password.
   */
  setPassword(user: string, password: string): Promise<void>;
  /**
   * Whether the server holds this password for the account, read from what it stores (a
   * login proves nothing on a server that trusts local connections); null when the admin
   * account may not read it.
   */
  passwordMatches(user: string, password: string): Promise<boolean | null>;
  /**
   * Where an account holds rights or owns something: database names, and `*` for rights on
   * the whole server. What dropping the account would take away, beyond its own database.
   */
  accountReach(user: string): Promise<string[]>;
  /** the tables of a database, or only those of one site's prefix in a shared database */
  listTables(database: string, prefix?: string): Promise<string[]>;
  /** Drops an account. PostgreSQL refuses while the role still owns or may use anything. */
  dropUser(user: string): Promise<void>;
  /** Drops the tables of one site in a shared database. */
  dropPrefixedTables(database: string, prefix: string): Promise<number>;
  sizeBytes(spec: Pick<SiteDbSpec, 'database' | 'tablePrefix' | 'shared'>): Promise<number>;
  /** Whether its admin connection (if opened) is still sound, so it may serve another use. */
  reusable?(): boolean;
  close(): Promise<void>;
}
