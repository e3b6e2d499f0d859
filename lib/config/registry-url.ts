import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Mutu's data folder: registry, secret key, farm and outbox live under it unless configured elsewhere. */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.MUTU_DATA_DIR || 'var');
}

/** The registry URL; the embedded default is a SQLite file in the data folder. */
export function registryUrl(env: Record<string, string | undefined> = process.env): string {
  return env.MUTU_REGISTRY_URL || pathToFileURL(path.join(dataDir(env), 'mutu.db')).href;
}
