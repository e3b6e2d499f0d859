import path from 'node:path';
import type { DbServer } from '@prisma/client';
import { config } from '../config';
import { open, seal } from '../crypto/secret-box';
import { generateDbPassword } from '../crypto/random';
import { db } from '../db/client';
import { jsonObject } from '../db/json';
import { serverOptions } from '../databases/connections';
import type { DbDriver } from '../databases/driver';
import { proveSiteLogin } from '../databases/site-login';
import { setConnectionPassword } from '../farm/connection-file';
import { siteDir } from '../farm/paths';
import { NAME_LIMITS } from '../domain/db-names';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

/**
 * The shared database of a server in SPIP's shared mode, and its one account, named after
 * the database: two registrations of one physical server (two farms) with their own shared
 * databases then have their own accounts, instead of one account with two passwords.
 */
export function sharedAccount(server: DbServer) {
  const o = serverOptions(server);
  const database = typeof o.sharedDatabase === 'string' ? o.sharedDatabase : 'mu_shared';
  return {
    database,
    user: typeof o.sharedUser === 'string' ? o.sharedUser : database.slice(0, NAME_LIMITS.mysql.user),
    passwordEnc: typeof o.sharedPasswordEnc === 'string' ? o.sharedPasswordEnc : undefined,
  };
}

type Log = (message: string, level?: 'info' | 'warn') => Promise<void>;

/** Registrations of the same physical server as `server` (same engine, address and port), itself first. */
async function sameServer(server: DbServer): Promise<DbServer[]> {
  const all = await db.dbServer.findMany({ where: { engine: server.engine, port: server.port, host: { in: [server.host, ...(['localhost', '127.0.0.1'].includes(server.host) ? ['localhost', '127.0.0.1'] : [])] } } });
  return [server, ...all.filter((s) => s.id !== server.id)];
}

/**
 * Records the shared password of a registration. `first`: only if its options did not change
 * meanwhile (two first sites in shared mode at once: one password wins, both use it).
 */
async function recordPassword(server: DbServer, passwordEnc: string, opts: { first?: boolean } = {}): Promise<DbServer> {
  const options = { ...jsonObject(server.options), sharedPasswordEnc: passwordEnc };
  await db.dbServer.updateMany({ where: { id: server.id, ...(opts.first ? { revision: server.revision } : {}) }, data: { options, revision: { increment: 1 } } });
  const now = await db.dbServer.findUniqueOrThrow({ where: { id: server.id } });
  if (!sharedAccount(now).passwordEnc) throw translatedError((m) => new Error(m), 'serviceErrors.sharedAccountNotRecorded');
  return now;
}

/**
 * The shared account's password the server really has. A registration without one takes
 * the one another registration of the same server already holds for this account (two
 * entries for one server), else a new one. When the account exists on the server and no
 * password the registry holds opens it (the registry was set up again), the account gets
 * the registry's password and every registered site using it gets its connection file
 * rewritten: no site is ever given a password the server refuses.
 */
export async function settleSharedPassword(server: DbServer, driver: DbDriver, log: Log): Promise<DbServer> {
  let current = server;
  const account = sharedAccount(current);
  if (!account.passwordEnc) {
    const twin = (await sameServer(current)).slice(1).find((s) => sharedAccount(s).user === account.user && sharedAccount(s).passwordEnc);
    current = await recordPassword(current, twin ? sharedAccount(twin).passwordEnc! : seal(config().secretKey, generateDbPassword()), { first: true });
    if (twin) await log(formatWorkerLine('sharedPasswordReused', { user: account.user, server: twin.name }));
  }
  const stored = sharedAccount(current);
  const password = open(config().secretKey, stored.passwordEnc!);
  if (!(await driver.userExists(stored.user))) return current;
  // What the server stores says it best; a login is the proof left when the admin may not read it.
  const matches = await driver.passwordMatches(stored.user, password);
  const works = matches ?? (await proveSiteLogin(current, { database: stored.database, user: stored.user, password }).then(() => true, () => false));
  if (works) return current;
  await log(formatWorkerLine('sharedPasswordReset', { user: stored.user, server: current.name }), 'warn');
  await driver.setPassword(stored.user, password);
  const servers = (await sameServer(current)).map((s) => s.id);
  const sharers = await db.siteDatabase.findMany({ where: { serverId: { in: servers }, user: stored.user }, include: { site: { select: { host: true } } } });
  for (const rec of sharers) {
    setConnectionPassword(siteDir(config().farmRoot, rec.site.host), password);
    await db.siteDatabase.update({ where: { id: rec.id }, data: { passwordEnc: stored.passwordEnc! } });
  }
  // The other registrations of this server that name this account now hold its one password.
  for (const other of (await sameServer(current)).slice(1)) {
    if (sharedAccount(other).user === stored.user) await recordPassword(other, stored.passwordEnc!);
  }
  if (sharers.length) await log(formatWorkerLine('sharedConnectionFiles', { list: sharers.map((r) => path.basename(siteDir(config().farmRoot, r.site.host))).join(', ') }));
  return current;
}
