// A real ACME CA for tests (see pebble-processes.ts), stopped and removed after the file's tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { pebbleProcesses, pebbleUnavailable as machineLacks, type PebbleProcesses } from './pebble-processes';

/** Why the ACME tests cannot run here (tests/run.js looked first, and under CI requires them), or null. */
export function pebbleUnavailable(): string | null {
  if (process.env.MUTU_TEST_PEBBLE !== '1') return 'tests/run.js found no pebble on this machine (apt-get install pebble)';
  return machineLacks();
}

/** Pebble validating HTTP-01 on the test front's port; its ports are chosen now, it starts in beforeAll. */
export function useTestPebble(httpPort: number): PebbleProcesses {
  const pebble = pebbleProcesses(fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-pebble-')), { httpPort });
  afterAll(async () => {
    await pebble.stop();
    fs.rmSync(pebble.dir, { recursive: true, force: true });
  });
  return pebble;
}
