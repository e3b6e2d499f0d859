import { Prisma } from '@prisma/client';
import { rewordedError, translatedError } from '../i18n/errors';
import { config } from '../config';
import { seal } from '../crypto/secret-box';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { assertHostMask } from '../domain/db-names';
import { addServerSchema, defaultHostMask, parseServerUrl, type AddServerInput } from '../domain/server';
import { pingServer } from './servers';
import { MutuError } from '../domain/errors';

export class ServerError extends MutuError {}

/**
 * Registers a MariaDB/MySQL or PostgreSQL server after checking that Mutu can log in
 * with the given admin account. The password is stored encrypted, never shown again.
 */
export async function addServer(actor: Actor, input: AddServerInput) {
  const data = addServerSchema.parse(input);
  let address;
  try {
    address = parseServerUrl(data.engine, data.url);
  } catch (err) {
    throw rewordedError(err, (m) => new ServerError(m));
  }
  const options: Prisma.JsonObject = {};
  if (address.adminDatabase) options.adminDatabase = address.adminDatabase;
  if (data.engine === 'mysql') {
    const mask = data.hostMask ?? defaultHostMask(address.host);
    // Told under the form's host mask field.
    if (!mask) throw translatedError((m) => new ServerError(m, 400, { hostMask: m }), 'serviceErrors.serverHostMask', { host: address.host });
    try {
      options.hostMask = assertHostMask(mask);
    } catch (err) {
      throw rewordedError(err, (m) => new ServerError(m, 422, { hostMask: m }));
    }
  }
  if (data.sharedDatabase) options.sharedDatabase = data.sharedDatabase;
  const candidate = {
    name: data.name,
    engine: data.engine,
    host: address.host,
    port: address.port,
    adminUser: address.adminUser,
    adminPasswordEnc: seal(config().secretKey, data.password),
    options,
  };
  const ping = await pingServer({ ...candidate, id: '', revision: 0, status: 'active', isDefault: false, lastCheckedAt: null, lastCheckOk: null, lastCheckError: null, createdAt: new Date(), updatedAt: new Date() });
  if (!ping.ok) throw translatedError((m) => new ServerError(m), 'serviceErrors.serverLogin', { user: address.adminUser, host: address.host, port: String(address.port), reason: String(ping.error) });
  try {
    const server = await db.$transaction(async (tx) => {
      if (data.makeDefault) await tx.dbServer.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
      return tx.dbServer.create({ data: { ...candidate, isDefault: data.makeDefault, lastCheckedAt: new Date(), lastCheckOk: true } });
    });
    await recordAudit(actor, { action: 'server.add', details: { name: server.name, engine: server.engine, host: server.host, port: server.port, adminUser: server.adminUser, version: ping.version, default: data.makeDefault } });
    return { server, version: ping.version };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw translatedError((m) => new ServerError(m), 'serviceErrors.serverExists', { name: data.name });
    throw err;
  }
}

export async function listServersWithUse() {
  const rows = await db.dbServer.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { databases: true } } } });
  return rows.map(({ _count, adminPasswordEnc: _secret, ...s }) => ({ ...s, sites: _count.databases }));
}

/** Forgets a server. Refused while any site has its database there. */
export async function removeServer(actor: Actor, name: string) {
  const server = await db.dbServer.findUnique({ where: { name }, include: { _count: { select: { databases: true } } } });
  if (!server) throw translatedError((m) => new ServerError(m), 'serviceErrors.serverUnknown', { name });
  if (server._count.databases) throw translatedError((m) => new ServerError(m), 'serviceErrors.serverInUse', { count: server._count.databases, name });
  if (server.engine === 'sqlite') throw translatedError((m) => new ServerError(m), 'serviceErrors.serverEmbedded');
  await db.dbServer.delete({ where: { id: server.id } });
  await recordAudit(actor, { action: 'server.remove', details: { name, engine: server.engine, host: server.host } });
}

/** Makes a server the one new sites use when none is chosen. */
export async function setDefaultServer(actor: Actor, name: string) {
  const server = await db.dbServer.findUnique({ where: { name } });
  if (!server) throw translatedError((m) => new ServerError(m), 'serviceErrors.serverUnknown', { name });
  await db.$transaction([
    db.dbServer.updateMany({ where: { isDefault: true }, data: { isDefault: false } }),
    db.dbServer.update({ where: { id: server.id }, data: { isDefault: true } }),
  ]);
  await recordAudit(actor, { action: 'server.default', details: { name } });
}
