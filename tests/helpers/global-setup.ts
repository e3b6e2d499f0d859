import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../lib/config';
import { migrateRegistry } from '../../lib/db/migrate';

/** Migrates one registry for the whole run; each test file starts from a copy of it. */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-template-'));
  const cfg = loadConfig({ MUTU_DATA_DIR: dir, MUTU_REGISTRY_URL: `file:${path.join(dir, 'mutu.db')}` });
  await migrateRegistry(cfg);
  project.provide('templateRegistry', path.join(dir, 'mutu.db'));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateRegistry: string;
  }
}
