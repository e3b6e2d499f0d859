import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
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
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
