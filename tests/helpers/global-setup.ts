import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../lib/config';
import { migrateRegistry } from '../../lib/db/migrate';
import { buildProcessFixtures, removeProcessFixtures } from './fixture-build';
import { postgresDatabaseUrl, psql, testRegistry } from './registry';

interface Prepared {
  templateRegistry: string;
  templatePostgres: string;
  fixturesDir: string;
  teardown(): void;
}

/**
 * Migrates one registry for the whole run; each test file starts from a copy of it. With
 * MUTU_TEST_REGISTRY=postgres, a PostgreSQL template database too, which files copy. Compiles
 * the fixtures that tests start as processes, once (tests/helpers/fixture-build.ts).
 */
async function prepare(): Promise<Prepared> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-template-'));
  const cfg = loadConfig({ MUTU_DATA_DIR: dir, MUTU_REGISTRY_URL: `file:${path.join(dir, 'mutu.db')}` });
  await migrateRegistry(cfg);
  let template = '';
  if (testRegistry() === 'postgres') {
    template = `mutu_template_${crypto.randomBytes(6).toString('hex')}`;
    psql(`CREATE DATABASE "${template}"`);
    await migrateRegistry({ ...cfg, registryUrl: postgresDatabaseUrl(template) });
  }
  const fixturesDir = await buildProcessFixtures();
  return {
    templateRegistry: path.join(dir, 'mutu.db'),
    templatePostgres: template,
    fixturesDir,
    teardown() {
      removeProcessFixtures(fixturesDir);
      fs.rmSync(dir, { recursive: true, force: true });
      if (template) psql(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    },
  };
}

// Two projects run this setup (servers and servers-shared, vitest.config.ts), each loading
// this module apart: one preparation for both, kept on the process, undone by the last teardown.
const shared = globalThis as { mutuTestSetup?: { prepared: Promise<Prepared>; users: number } };

export default async function setup(project: TestProject) {
  shared.mutuTestSetup ??= { prepared: prepare(), users: 0 };
  const run = shared.mutuTestSetup;
  run.users++;
  const prepared = await run.prepared;
  project.provide('templateRegistry', prepared.templateRegistry);
  project.provide('templatePostgres', prepared.templatePostgres);
  project.provide('fixturesDir', prepared.fixturesDir);
  return () => {
    if (--run.users > 0) return;
    shared.mutuTestSetup = undefined;
    prepared.teardown();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateRegistry: string;
    templatePostgres: string;
    fixturesDir: string;
  }
}
