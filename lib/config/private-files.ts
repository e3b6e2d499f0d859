import fs from 'node:fs';
import path from 'node:path';

/** Mode of every file Mutu writes for itself in its data folder: registry, secret key, mails. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the folders Mutu makes for itself there (the outbox, a registry's own folder). */
export const PRIVATE_FOLDER_MODE = 0o700;

/** SQLite's files beside a database, which hold its pages too and must be as private as it is. */
const REGISTRY_COMPANIONS = ['-wal', '-shm', '-journal'];

/** The registry's file and the companions SQLite may keep beside it. */
export function registryFiles(file: string): string[] {
  return [file, ...REGISTRY_COMPANIONS.map((suffix) => `${file}${suffix}`)];
}

/** Group and other permission bits of a mode, the ones a private file must not have. */
export const sharedBits = (mode: number) => mode & 0o077;

/**
 * The data folder's mode: its owner's alone, except that others may pass through (never
 * list) it when the farm lives inside, so the web server still reaches the sites' folders.
 */
export function dataFolderMode(dataDir: string, farmRoot: string): number {
  const inside = path.relative(dataDir, farmRoot);
  return inside && !inside.startsWith('..') && !path.isAbsolute(inside) ? 0o711 : PRIVATE_FOLDER_MODE;
}

/**
 * Creates a folder (and any missing parent) with exactly `mode`, whatever the umask. A folder
 * that exists is left as it is unless `narrow` is set: then any permission beyond `mode` is
 * taken away (Mutu's own subfolders; the data folder itself may be shared with other things).
 */
export function makeFolder(dir: string, mode = PRIVATE_FOLDER_MODE, opts: { narrow?: boolean } = {}): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  fs.mkdirSync(dir, { recursive: true, mode });
  for (const d of missing) fs.chmodSync(d, mode);
  if (opts.narrow && !missing.length) {
    const current = fs.statSync(dir).mode & 0o777;
    if (current & ~mode) fs.chmodSync(dir, current & mode);
  }
}

/**
 * Makes the registry's files readable by their owner only. A missing registry is created
 * empty with mode 0600 first, before SQLite opens it: SQLite creates its `-wal` and `-shm`
 * with the mode of the database file, and would create the file itself 0644 under the usual
 * umask. Files already there with wider modes (from an older Mutu) are narrowed.
 */
export function makeRegistryPrivate(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const f of registryFiles(file)) {
    try {
      if (fs.statSync(f).mode & 0o777 & ~PRIVATE_FILE_MODE) fs.chmodSync(f, PRIVATE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
