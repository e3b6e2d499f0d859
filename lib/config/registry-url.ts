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
