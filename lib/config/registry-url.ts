import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Mutu's data folder: registry, secret key, farm and outbox live under it unless configured elsewhere. */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.MUTU_DATA_DIR || 'var');
}

/** The registry URL; the embedded default is a SQLite file in the data folder. */
export function registryUrl(env: Record<string, string | undefined> = process.env): string {
  return env.MUTU_REGISTRY_URL || pathToFileURL(path.join(dataDir(env), 'mutu.db')).href;
}

/** The SQLite file behind a `file:` URL; a relative one is relative to the working folder, as libSQL reads it. */
export function registryFile(url: string): string {
  return fileURLToPath(url.replace(/^file:(?!\/)/, `file:${process.cwd()}/`));
}

export type RegistryProvider = 'sqlite' | 'postgresql';

/** Which database the registry is: a SQLite file (`file:`, the default) or PostgreSQL (`postgresql://`, `postgres://`). */
export function registryProvider(url: string): RegistryProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (/^file:/i.test(url)) return 'sqlite';
  throw new Error(
    `MUTU_REGISTRY_URL must be a SQLite file (file:/var/lib/mutu/mutu.db) or a PostgreSQL database ` +
      `(postgresql://user@host:5432/mutu); "${redactedUrl(url)}" is neither.`,
  );
}

/** The URL with its password hidden, for messages and logs. */
export function redactedUrl(url: string): string {
  return url.replace(/(\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/** Where the registry is, for people: the SQLite file, or the PostgreSQL URL without its password. */
export function registryPlace(url: string): string {
  return registryProvider(url) === 'sqlite' ? registryFile(url) : redactedUrl(url);
}

/** The Prisma schema and migrations of each provider, relative to the project's root (prisma/postgresql/ is generated: bin/prisma-schemas.js). */
export function registryLayout(provider: RegistryProvider): { schema: string; migrations: string } {
  const dir = provider === 'sqlite' ? 'prisma' : path.join('prisma', 'postgresql');
  return { schema: path.join(dir, 'schema.prisma'), migrations: path.join(dir, 'migrations') };
}
