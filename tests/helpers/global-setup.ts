import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../lib/config';
import { migrateRegistry } from '../../lib/db/migrate';
import { buildProcessFixtures, removeProcessFixtures } from './fixture-build';
import { postgresDatabaseUrl, psql, testRegistry } from './registry';

/**
 * Migrates one registry for the whole run; each test file starts from a copy of it. With
 * MUTU_TEST_REGISTRY=postgres, a PostgreSQL template database too, which files copy. Compiles
 * the fixtures that tests start as processes, once (tests/helpers/fixture-build.ts).
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-template-'));
  const cfg = loadConfig({ MUTU_DATA_DIR: dir, MUTU_REGISTRY_URL: `file:${path.join(dir, 'mutu.db')}` });
  await migrateRegistry(cfg);
  project.provide('templateRegistry', path.join(dir, 'mutu.db'));
  let template = '';
  if (testRegistry() === 'postgres') {
    template = `mutu_template_${crypto.randomBytes(6).toString('hex')}`;
    psql(`CREATE DATABASE "${template}"`);
    await migrateRegistry({ ...cfg, registryUrl: postgresDatabaseUrl(template) });
  }
  project.provide('templatePostgres', template);
  const fixturesDir = await buildProcessFixtures();
  project.provide('fixturesDir', fixturesDir);
  return () => {
    removeProcessFixtures(fixturesDir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (template) psql(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateRegistry: string;
    templatePostgres: string;
    fixturesDir: string;
  }
}
