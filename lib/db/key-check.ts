import crypto from 'node:crypto';
import { Prisma } from '@prisma/client';
import { ConfigError, type Config } from '../config';
import { secretKeyFile } from '../config/secret-key';
import { deriveKey } from '../crypto/keys';
import { open } from '../crypto/secret-box';
import { db } from './client';
import { serverOptions } from '../databases/connections';

const CHECK_ID = 'secret-key';
const CHECKED_TEXT = 'mutu: this registry is sealed with this key';
const PAGE = 500;

/** What the registry keeps to recognise its key: an HMAC under a derived key, from which the key cannot be found. */
export function keyCheckValue(secretKey: Buffer): string {
  return crypto.createHmac('sha256', deriveKey(secretKey, 'key-check')).update(CHECKED_TEXT).digest('base64url');
}

function sameValue(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Every sealed secret the registry holds: servers' admin passwords, shared accounts, sites' passwords. */
async function* storedSecrets(): AsyncGenerator<string> {
  for (const server of await db.dbServer.findMany({ select: { adminPasswordEnc: true, options: true } })) {
    if (server.adminPasswordEnc) yield server.adminPasswordEnc;
    const shared = serverOptions(server).sharedPasswordEnc;
    if (typeof shared === 'string') yield shared;
  }
  for (let cursor: string | undefined; ; ) {
    const page = await db.siteDatabase.findMany({
      select: { id: true, passwordEnc: true },
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of page) yield row.passwordEnc;
    if (page.length < PAGE) return;
    cursor = page[page.length - 1]!.id;
  }
}

/** How many stored secrets the key cannot open, out of how many. */
async function unreadableSecrets(secretKey: Buffer): Promise<{ failed: number; total: number }> {
  let failed = 0;
  let total = 0;
  for await (const sealed of storedSecrets()) {
    total++;
    try {
      open(secretKey, sealed);
    } catch {
      failed++;
    }
  }
  return { failed, total };
}

function wrongKey(cfg: Config, why: string): ConfigError {
  const where =
    cfg.secretKeySource === 'environment'
      ? 'MUTU_SECRET_KEY'
      : `MUTU_SECRET_KEY (not set: the key was read from ${secretKeyFile(cfg.dataDir)})`;
  return new ConfigError([
    `${where}: ${why}. Give this process the key the registry was made with (the MUTU_SECRET_KEY or ` +
      `secret.key of the Mutu that made it, or their backup); with another key every job that opens a stored ` +
      `password would fail.`,
  ]);
}

/**
 * Refuses a key that is not the registry's, before a worker or server takes any job. The
 * first start records the key's check value; a registry from before the check adopts it
 * only if every stored secret opens with the key.
 */
export async function verifySecretKey(cfg: Config): Promise<void> {
  const expected = keyCheckValue(cfg.secretKey);
  const recorded = await db.secretKeyCheck.findUnique({ where: { id: CHECK_ID } });
  if (recorded) {
    if (!sameValue(recorded.hmac, expected)) throw wrongKey(cfg, 'this key is not the one this registry was made with');
    return;
  }
  const { failed, total } = await unreadableSecrets(cfg.secretKey);
  if (failed) throw wrongKey(cfg, `this key cannot decrypt ${failed} of the ${total} secrets stored in the registry`);
  try {
    await db.secretKeyCheck.create({ data: { id: CHECK_ID, hmac: expected } });
  } catch (err) {
    if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
    // Another process recorded it first: it must have had the same key.
    return verifySecretKey(cfg);
  }
}
