import { Prisma } from '@prisma/client';
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
    throw new ServerError(err instanceof Error ? err.message : String(err));
  }
  const options: Record<string, unknown> = {};
  if (address.adminDatabase) options.adminDatabase = address.adminDatabase;
  if (data.engine === 'mysql') {
    const mask = data.hostMask ?? defaultHostMask(address.host);
    if (!mask) throw new ServerError(`give the host mask the sites connect from (--host-mask, for example 10.0.0.% or web1.example.org): ${address.host} is not local`);
    options.hostMask = assertHostMask(mask);
  }
  if (data.sharedDatabase) options.sharedDatabase = data.sharedDatabase;
  const candidate = {
    name: data.name,
    engine: data.engine,
    host: address.host,
    port: address.port,
    adminUser: address.adminUser,
    adminPasswordEnc: seal(config().secretKey, data.password),
    options: JSON.stringify(options),
  };
  const ping = await pingServer({ ...candidate, id: '', status: 'active', isDefault: false, lastCheckedAt: null, lastCheckOk: null, lastCheckError: null, createdAt: new Date(), updatedAt: new Date() });
  if (!ping.ok) throw new ServerError(`cannot log in to ${address.adminUser}@${address.host}:${address.port}: ${ping.error}. Nothing was registered.`);
  try {
    const server = await db.$transaction(async (tx) => {
      if (data.makeDefault) await tx.dbServer.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
      return tx.dbServer.create({ data: { ...candidate, isDefault: data.makeDefault, lastCheckedAt: new Date(), lastCheckOk: true } });
    });
    await recordAudit(actor, { action: 'server.add', details: { name: server.name, engine: server.engine, host: server.host, port: server.port, adminUser: server.adminUser, version: ping.version, default: data.makeDefault } });
    return { server, version: ping.version };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw new ServerError(`a server named ${data.name} already exists (mutu servers list)`);
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
  if (!server) throw new ServerError(`no database server is named ${name} (mutu servers list)`);
  if (server._count.databases) throw new ServerError(`${server._count.databases} site(s) keep their database on ${name}: move or destroy them first`);
  if (server.engine === 'sqlite') throw new ServerError('the embedded SQLite server cannot be removed');
  await db.dbServer.delete({ where: { id: server.id } });
  await recordAudit(actor, { action: 'server.remove', details: { name, engine: server.engine, host: server.host } });
}

/** Makes a server the one new sites use when none is chosen. */
export async function setDefaultServer(actor: Actor, name: string) {
  const server = await db.dbServer.findUnique({ where: { name } });
  if (!server) throw new ServerError(`no database server is named ${name} (mutu servers list)`);
  await db.$transaction([
    db.dbServer.updateMany({ where: { isDefault: true }, data: { isDefault: false } }),
    db.dbServer.update({ where: { id: server.id }, data: { isDefault: true } }),
  ]);
  await recordAudit(actor, { action: 'server.default', details: { name } });
}
