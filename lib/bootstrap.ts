import { Prisma } from '@prisma/client';
import { config, type Config } from './config';
import { db } from './db/client';
import { ensureRegistry, makeRegistryFilesPrivate } from './db/migrate';
import { registryProvider } from './config/registry-url';
import { verifySecretKey } from './db/key-check';
import { systemActor } from './domain/actor';
import { createUser } from './users/service';
import { embeddedServer } from './databases';

const DEFAULT_ADMIN_EMAIL = 'admin@mutu.local';

/**
 * Everything a start needs before serving: the registry created or migrated forward (its
 * files private), SQLite in WAL mode (readers never wait for the worker), the secret key
 * proved to be the registry's, and a first admin.
 */
export async function bootstrap(say: (line: string) => void = console.log, cfg: Config = config()): Promise<{ firstAdmin?: FirstAdmin }> {
  // A registry already up to date costs one read: Prisma's `migrate deploy` (a process of its
  // own, seconds of start-up) runs only when a migration is pending; the files are narrowed
  // to private either way (an older Mutu left them wider).
  await ensureRegistry(cfg);
  makeRegistryFilesPrivate(cfg);
  if (registryProvider(cfg.registryUrl) === 'sqlite') await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await verifySecretKey(cfg);
  const firstAdmin = await ensureFirstAdmin(cfg, say);
  await embeddedServer();
  return { firstAdmin };
}

/** The admin this start created, with the password it generated (none when given by MUTU_ADMIN_PASSWORD). */
export interface FirstAdmin {
  email: string;
  generatedPassword?: string;
}

async function ensureFirstAdmin(cfg: Config, say: (line: string) => void): Promise<FirstAdmin | undefined> {
  if (await db.user.count({ where: { role: 'admin' } })) return undefined;
  const email = (cfg.firstAdmin.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  try {
    const { generatedPassword } = await createUser(systemActor, { email, role: 'admin', password: cfg.firstAdmin.password });
    say(`First admin created: ${email}`);
    if (generatedPassword) {
      say(`  password: ${generatedPassword}`);
      say('  (shown only this once; change it with `npx mutu users passwd --email ' + email + '`)');
    }
    return { email, generatedPassword };
  } catch (err) {
    // Another process created it at the same moment.
    if (!(err instanceof Prisma.PrismaClientKnownRequestError) && !String(err).includes('already exists')) throw err;
    return undefined;
  }
}
