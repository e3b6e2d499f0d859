import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';

export interface TestFarm {
  dataDir: string;
  registryFile: string;
  /** environment for child processes (the CLI, a server) that share this registry */
  env: NodeJS.ProcessEnv;
}

/**
 * Gives the calling test file its own data folder with a migrated registry, and points
 * this process's configuration at it. Call at the top of a file, before using `db`.
 */
export function useTestFarm(extraEnv: Record<string, string> = {}): TestFarm {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-test-'));
  const registryFile = path.join(dataDir, 'mutu.db');
  fs.copyFileSync(inject('templateRegistry'), registryFile);
  const env: Record<string, string> = {
    MUTU_DATA_DIR: dataDir,
    MUTU_REGISTRY_URL: `file:${registryFile}`,
    MUTU_SECRET_KEY: '0'.repeat(63) + '1',
    ...extraEnv,
  };
  Object.assign(process.env, env);
  afterAll(async () => {
    const { disconnectDb } = await import('../../lib/db/client');
    await disconnectDb();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, registryFile, env: { ...process.env, ...env } };
}
