import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files, longest first, as measured in a whole run on two cores (e2e/sites
 * includes the first `next build`, which the other e2e files wait for). On a fresh clone
 * vitest has no durations cached and keeps the order it found the files in, so a long file
 * could start last and leave one worker idle at the end: starting these first leaves the
 * short ones to fill the tail. A file missing from the list only starts later; refresh the
 * list from a run's per-file durations when it drifts.
 */
const LONGEST_FIRST = [
  'tests/e2e/sites.test.ts',
  // Skipped at once in the SQLite pass; the longest file of the PostgreSQL pass (tests/run.js).
  'tests/integration/jobs-nodes-processes.test.ts',
  'tests/integration/import-roundtrip.test.ts',
  'tests/integration/restore-hostile.test.ts',
  'tests/e2e/people.test.ts',
  'tests/integration/upgrade-cli.test.ts',
  'tests/integration/provision-failures.test.ts',
  'tests/integration/provision-crash.test.ts',
  'tests/integration/cli-sites.test.ts',
  'tests/e2e/front.test.ts',
  'tests/e2e/sessions-and-limits.test.ts',
  'tests/integration/tls.test.ts',
  'tests/e2e/upgrade-run.test.ts',
  'tests/integration/spip-farm.test.ts',
  'tests/integration/registry.test.ts',
  'tests/e2e/provisioning.test.ts',
  'tests/integration/export-secrets.test.ts',
  'tests/e2e/export.test.ts',
  'tests/integration/cli-jobs.test.ts',
  'tests/integration/front-serve.test.ts',
  'tests/integration/provision-shared.test.ts',
  'tests/integration/cli-users.test.ts',
  'tests/e2e/languages.test.ts',
  'tests/integration/cli-sites-read.test.ts',
  'tests/integration/export-archive.test.ts',
  'tests/e2e/dashboard.test.ts',
  'tests/integration/webmaster-mails.test.ts',
  'tests/integration/upgrade-checks.test.ts',
];

/**
 * Integration files that share a worker process (project 'servers-shared', isolate: false):
 * the packages (Prisma and its WASM engine, zod, ...) stay loaded from one file to the next
 * instead of ~2.5 s of a core per file to load them again. tests/helpers/shared-worker.ts
 * gives each file Mutu's modules afresh and its environment back. A file joins the list once
 * it passes sharing a worker with the others in shuffled orders (--sequence.shuffle): none
 * here starts servers, the front or a browser of its own, nor leaves a process running.
 */
const SHARED_SERVER_FILES = [
  'registry-dialect', 'provision-server-calls', 'run-error-words', 'sites-csv-words', 'secret-key-check', 'upgrade-lanes',
  'maintenance', 'cli-import', 'jobs-writer', 'admin-mails', 'backups', 'registry-transactions', 'provision-concurrency',
  'auth', 'admin-pool', 'login-limits', 'provision-lifecycle', 'provision-notify', 'jobs-run', 'jobs-locks',
  'db-password-logs', 'mail', 'cli-users', 'doctor',
].map((name) => `tests/integration/${name}.test.ts`);

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    // Off the list, the files of a shared worker follow each other (a worker is reused only
    // for the next file of its project in the queue), the short unit files last to fill the tail.
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/'));
      return i < 0 ? LONGEST_FIRST.length + Math.max(0, ['servers', 'servers-shared', 'unit'].indexOf(f.project.name)) : i;
    };
    // Array.prototype.sort is stable: the files off the list keep vitest's own order.
    return base.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { alias: { '@': path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        // Pure logic, no servers: one module graph for all the files of a worker rather than a
        // fresh one per file (loading it is ~1.3 s of a core per file: 59 s of CPU for the 43
        // files isolated, 19 s shared). None of them leaves global state behind (env, mocks,
        // timers are restored); they pass in any order sharing one worker (--sequence.shuffle).
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'servers-shared',
          include: SHARED_SERVER_FILES,
          globalSetup: ['tests/helpers/global-setup.ts'],
          setupFiles: ['tests/helpers/shared-worker.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'servers',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SHARED_SERVER_FILES],
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
    pool: 'forks',
    // Most suites wait on servers, processes and a browser rather than compute: two files at
    // once on two cores (vitest's default would be one). MUTU_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.MUTU_TEST_WORKERS) || Math.max(2, os.availableParallelism()),
    // Password hashes at scrypt N=2^10 instead of 2^17 (0.3 s of a core and 128 MiB each, many
    // times over in files that create users and sign in): honoured only under vitest
    // (lib/auth/password.ts), passed to the CLI processes the tests start, never to an app
    // started as a user would (tests/helpers/server.ts). tests/unit/password.test.ts checks the
    // real cost.
    env: { MUTU_TEST_SCRYPT_N: '1024' },
    sequence: { sequencer: LongestFirstSequencer },
    // expect.poll gives up after 1 s by default: too short for a mail sent in the background or a
    // page rendered again on a loaded machine. A poll ends as soon as it passes, so this costs nothing.
    expect: { poll: { timeout: 15_000 } },
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
