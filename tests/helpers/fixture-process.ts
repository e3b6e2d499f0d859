import path from 'node:path';
import { inject } from 'vitest';

/**
 * The node arguments that start tests/fixtures/<name>.ts as a process of its own, compiled
 * once for the run (tests/helpers/fixture-build.ts): `spawn(process.execPath, fixtureArgs(...))`.
 */
export const fixtureArgs = (name: string, ...args: string[]): string[] => [path.join(inject('fixturesDir'), `${name}.js`), ...args];
