import { mysqlNativeHash } from '../crypto/db-password-hash';
import { assertIdentifier } from './db-names';

/**
 * The clause of `CREATE USER` / `ALTER USER` that sets a password by its hash, so the
 * statement (and any statement log of the server) never holds the password itself.
 * MariaDB takes `IDENTIFIED BY PASSWORD '<hash>'`; MySQL (5.7, 8) has dropped that form and
 * takes the same hash as `IDENTIFIED WITH mysql_native_password AS '<hash>'`.
 */
export function mysqlIdentifiedByHash(serverVersion: string, password: string): string {
  const hash = mysqlNativeHash(password); // `*` and 40 hex digits: nothing to escape
  return /mariadb/i.test(serverVersion) ? `IDENTIFIED BY PASSWORD '${hash}'` : `IDENTIFIED WITH mysql_native_password AS '${hash}'`;
}

/**
 * A database name as a MySQL GRANT reads it: there `_` and `%` are wildcards, so a grant on
 * `mu_abc_2` would also open a database named `mu_abcx2`. Escaped, it names one database.
 */
export function mysqlGrantDatabase(database: string): string {
  return assertIdentifier(database).replace(/_/g, '\\_');
}

/** The database name a MySQL grant pattern stands for, wildcard escapes removed. */
export function mysqlUnescapeGrant(pattern: string): string {
  return pattern.replace(/\\([_%\\])/g, '$1');
}
