import { type DbServer, type SiteDatabase } from '@prisma/client';
import { config } from '../config';
import { open, seal } from '../crypto/secret-box';
import { generateDbPassword } from '../crypto/random';
import { cuid } from '../db/cuid';
import type { RawTransaction } from '../db/client';
import { asModelRows, modelRowsNow } from '../db/model-rows';
import { uniqueViolation } from '../db/unique-violation';
import { siteDbNames } from '../domain/db-names';
import { spipPrefix } from '../domain/prefix';
import type { ProfileName } from '../domain/profiles';
import type { DbDriver } from '../databases/driver';
import { settleSharedPassword, sharedAccount } from './shared-account';
import sql from 'sql-template-tag';

const MAX_ATTEMPTS = 50;

/** What a site's database record is made of (its id and creation time are the insert's). */
type SiteDatabaseData = Pick<SiteDatabase, 'siteId' | 'serverId' | 'name' | 'user' | 'passwordEnc' | 'tablePrefix' | 'shared' | 'slot' | 'createdByMutu'>;

const DEFAULT_TABLE_PREFIX: Record<ProfileName, string> = { spip: 'spip', moodle: 'mdl', generic: '' };

/**
 * Creates something unless it exists, when another job may be creating it at the same moment
 * (two first sites in shared mode): losing that race is fine once it exists.
 */
async function createUnlessExists(exists: () => Promise<boolean>, create: () => Promise<void>) {
  if (await exists()) return;
  try {
    await create();
  } catch (err) {
    if (!(await exists())) throw err;
  }
}

/** Writes the reservation in the caller's transaction, which records with it what a recovery needs (the job's step). */
export type RecordedWith = (write: (tx: RawTransaction) => Promise<SiteDatabase>) => Promise<SiteDatabase>;

/**
 * Gives a site its database names and password, recorded in the registry before anything
 * is created on the server (a crash then leaves a record saying what to undo), through
 * `recorded`: a record found from an earlier attempt goes through it too. Names that
 * another site holds (unique slot per server) or that already exist on the server are
 * skipped: `mu_x`, `mu_x_2`, ...
 */
export async function reserveDatabase(
  siteId: string,
  host: string,
  server: DbServer,
  profile: ProfileName,
  shared: boolean,
  driver: DbDriver,
  recorded: RecordedWith,
): Promise<{ rec: SiteDatabase; namesFree: boolean }> {
  // Raw: a read every new site pays (model-rows.ts).
  const [existing] = await modelRowsNow('SiteDatabase', sql`SELECT * FROM "SiteDatabase" WHERE "siteId" = ${siteId}`);
  if (existing) return { rec: await recorded(async () => existing), namesFree: false };
  const key = config().secretKey;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let data: SiteDatabaseData;
    if (shared) {
      const account = sharedAccount(server);
      if (!account.passwordEnc) throw new Error(`the shared database of ${server.name} is not set up yet`);
      const prefix = attempt === 1 ? spipPrefix(host) : `${spipPrefix(host)}${attempt}`;
      data = { siteId, serverId: server.id, name: account.database, user: account.user, passwordEnc: account.passwordEnc, tablePrefix: prefix, shared: true, slot: `prefix:${prefix}`, createdByMutu: true };
    } else {
      const names = siteDbNames(host, server.engine, attempt);
      if (server.engine !== 'sqlite' && ((await driver.databaseExists(names.database)) || (await driver.userExists(names.user)))) continue;
      data = {
        siteId,
        serverId: server.id,
        name: names.database,
        user: server.engine === 'sqlite' ? '' : names.user,
        passwordEnc: seal(key, server.engine === 'sqlite' ? '' : generateDbPassword()),
        tablePrefix: DEFAULT_TABLE_PREFIX[profile],
        shared: false,
        slot: `db:${names.database}`,
        createdByMutu: true,
      };
    }
    try {
      // namesFree: the server was asked, just now, that neither the database nor the user exists.
      return { rec: await recorded((tx) => insertSiteDatabase(tx, data)), namesFree: !shared && server.engine !== 'sqlite' };
    } catch (err) {
      if (uniqueViolation(err)) continue;
      throw err;
    }
  }
  throw new Error(`no free database name for ${host} on ${server.name} after ${MAX_ATTEMPTS} tries`);
}

/**
 * The record's row, written as `db.siteDatabase.create` wrote it (its cuid, its `createdAt`) but
 * in raw SQL on the driver adapter's transaction: every new site writes one, and a model query's
 * compile costs more CPU than the statement. A name or site already held: a unique violation.
 */
async function insertSiteDatabase(tx: RawTransaction, data: SiteDatabaseData): Promise<SiteDatabase> {
  const rows = await tx.query(
    sql`INSERT INTO "SiteDatabase" ("id", "siteId", "serverId", "name", "user", "passwordEnc", "tablePrefix", "shared", "slot", "createdByMutu", "createdAt")
      VALUES (${cuid()}, ${data.siteId}, ${data.serverId}, ${data.name}, ${data.user}, ${data.passwordEnc}, ${data.tablePrefix}, ${data.shared},
        ${data.slot}, ${data.createdByMutu}, ${new Date()})
      RETURNING *`,
  );
  return asModelRows('SiteDatabase', rows)[0]!;
}

/**
 * Creates a server's shared database and account on first use, and makes sure the password
 * the registry gives the sites is the one the server holds (see settleSharedPassword).
 */
export async function ensureSharedDatabase(server: DbServer, driver: DbDriver, log: (m: string, level?: 'info' | 'warn') => Promise<void>): Promise<DbServer> {
  if (server.engine === 'sqlite') throw new Error('the embedded SQLite has no shared database: each site has its own file');
  const { database } = sharedAccount(server);
  await createUnlessExists(() => driver.databaseExists(database), () => driver.createDatabase(database));
  const current = await settleSharedPassword(server, driver, log);
  const account = sharedAccount(current);
  await createUnlessExists(
    () => driver.userExists(account.user),
    () => driver.createUser({ database: account.database, user: account.user, password: open(config().secretKey, account.passwordEnc!), tablePrefix: '', shared: true }),
  );
  return current;
}
