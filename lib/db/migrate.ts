import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Config } from '../config';
import { dataFolderMode, makeFolder, makeRegistryPrivate } from '../config/private-files';
import { registryFile } from '../config/registry-url';
import { projectRoot } from '../project-root';


/**
 * Creates the registry if needed and applies pending migrations with Prisma's own
 * `migrate deploy` (the WASM schema engine: nothing native, nothing downloaded).
 * Existing rows are kept: migrations only ever move forward. The registry's files are
 * made private first, whatever the umask or the folder's mode.
 */
export async function migrateRegistry(cfg: Config): Promise<string> {
  const file = registryFile(cfg.registryUrl);
  makeFolder(cfg.dataDir, dataFolderMode(cfg.dataDir, cfg.farmRoot));
  makeFolder(path.dirname(file));
  makeRegistryPrivate(file);
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, MUTU_REGISTRY_URL: cfg.registryUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`migrating the registry at ${file} failed:\n${text.trim()}`)),
    );
  });
  return output;
}

/** Names of migrations in the code base that the registry has not applied yet. */
export async function pendingMigrations(
  applied: string[],
): Promise<string[]> {
  const dir = path.join(projectRoot, 'prisma', 'migrations');
  const all = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return all.filter((m) => !applied.includes(m));
}
