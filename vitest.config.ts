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
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
