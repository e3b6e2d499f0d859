import path from 'node:path';
import { type DbServer } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import { modelRowsNow } from '../db/model-rows';
import { upsertRacing } from '../db/race';
import { EngineError, MutuError } from '../domain/errors';
import { phrase, tell, translatedError } from '../i18n/errors';
import { engineError, engineRefusal, serverForProfile } from '../domain/engines';
import type { DbDriver } from './driver';
import { MysqlDriver } from './mysql-driver';
import { PostgresDriver } from './postgres-driver';
import { SqliteDriver } from './sqlite-driver';
import { adminPassword } from './servers';
import { giveBackAdminDriver, takeAdminDriver } from './admin-pool';
import sql from 'sql-template-tag';

export const EMBEDDED_SERVER = 'embedded';

/** The embedded SQLite "server", registered once so every site database has a server row. */
export async function embeddedServer(): Promise<DbServer> {
  const isDefault = !(await db.dbServer.count({ where: { isDefault: true } }));
  return upsertRacing(
    () => db.dbServer.upsert({ where: { name: EMBEDDED_SERVER }, create: { name: EMBEDDED_SERVER, engine: 'sqlite', isDefault }, update: {} }),
    () => db.dbServer.findUniqueOrThrow({ where: { name: EMBEDDED_SERVER } }),
  );
}

/** A server by name, or the default one (the embedded SQLite unless an admin chose another). */
export async function resolveServer(name?: string): Promise<DbServer> {
  if (name) {
    // Raw (modelRowsNow): every site request reads it, and a model query's compile costs more CPU than the statement.
    const [server] = await modelRowsNow('DbServer', sql`SELECT * FROM "DbServer" WHERE "name" = ${name}`);
    if (!server) throw new MutuError(`no database server is named ${name} (mutu servers list)`, 404);
    if (server.status !== 'active') throw new MutuError(`the database server ${name} is retired: choose another one`, 409);
    return server;
  }
  return (await db.dbServer.findFirst({ where: { isDefault: true, status: 'active' } })) ?? embeddedServer();
}

/**
 * The server a new site of this profile gets: the one named (its engine is checked by the
 * request), else the default when the application can use it, else the first that suits it
 * (lib/domain/engines.ts). Refused, saying what to register, when none does.
 */
export async function serverForNewSite(profile: string, name?: string): Promise<DbServer> {
  if (name) return resolveServer(name);
  // One read, so a request registering the embedded server meanwhile cannot make it vanish from both lists.
  const all = await modelRowsNow('DbServer', sql`SELECT * FROM "DbServer"`);
  const active = all.filter((s) => s.status === 'active');
  // The embedded SQLite is registered at its first use: until then it is a candidate all the same.
  const unregistered = !all.some((s) => s.name === EMBEDDED_SERVER);
  const candidates = unregistered ? [...active, { name: EMBEDDED_SERVER, engine: 'sqlite', isDefault: false } as DbServer] : active;
  const chosen = serverForProfile(profile, candidates);
  if (!chosen) {
    const refusal = engineRefusal(profile, (await resolveServer()).engine);
    if (refusal) throw engineError(refusal, phrase('serviceErrors.engineNoneRegistered', { refusal: refusal.words.message }));
    const none = phrase('serviceErrors.engineNoServer', { profile });
    throw translatedError((m) => new EngineError(m, tell('en', none), none), 'serviceErrors.engineNoneRegistered', { refusal: none });
  }
  return chosen.name === EMBEDDED_SERVER ? embeddedServer() : active.find((s) => s.name === chosen.name)!;
}

/**
 * The driver for a server. SQLite keeps each database in the site's own folder, so it
 * needs to know where (`sqliteFolder`, absolute).
 */
export function driverFor(server: DbServer, sqliteFolder?: string): DbDriver {
  switch (server.engine) {
    case 'mysql':
      return new MysqlDriver(server, adminPassword(server));
    case 'postgresql':
      return new PostgresDriver(server, adminPassword(server));
    case 'sqlite':
      if (!sqliteFolder || !path.isAbsolute(sqliteFolder)) throw new Error('a SQLite database needs its site folder');
      return new SqliteDriver(sqliteFolder, config().modes.secretFile);
    default:
      throw new Error(`unknown database engine ${server.engine}`);
  }
}

/**
 * Runs `fn` with a driver and closes it, or, for a server's admin connection while a worker
 * keeps them (admin-pool.ts), gives it back for the next use. A use that failed closes it:
 * its connection may be what failed.
 */
export async function withDriver<T>(server: DbServer, sqliteFolder: string | undefined, fn: (d: DbDriver) => Promise<T>): Promise<T> {
  const pooled = server.engine !== 'sqlite';
  const driver = (pooled && takeAdminDriver(server)) || driverFor(server, sqliteFolder);
  let result: T;
  try {
    result = await fn(driver);
  } catch (err) {
    await driver.close();
    throw err;
  }
  if (pooled) await giveBackAdminDriver(server, driver);
  else await driver.close();
  return result;
}
