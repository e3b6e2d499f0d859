import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Points Mutu at the bench's own folder: nothing of the project's .env or of the shell's MUTU_* applies. */
export function isolate(dataDir: string, extra: Record<string, string> = {}): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('MUTU_')) delete process.env[name];
  Object.assign(process.env, {
    MUTU_DATA_DIR: dataDir,
    MUTU_REGISTRY_URL: pathToFileURL(path.join(dataDir, 'mutu.db')).href,
    MUTU_ROOT: path.join(dataDir, 'farm'),
    MUTU_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    MUTU_ADMIN_EMAIL: 'admin@bench.test',
    ...extra,
  });
  // config() reads `.env` from the working folder: the bench works in its own, which has none.
  process.chdir(dataDir);
}
