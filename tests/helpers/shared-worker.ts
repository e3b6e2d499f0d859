import { afterAll, vi } from 'vitest';

// Before each file of project 'servers-shared' (vitest.config.ts), whose files share a worker
// process: the file loads Mutu's own modules afresh (their caches: configuration, job handlers,
// database pools, signing key), while the packages under node_modules, the costly part to
// load, stay loaded. The Prisma client kept on globalThis is dropped by useTestFarm's afterAll.
vi.resetModules();

// What the file sets in the environment (useTestFarm's settings among them) ends with it.
const env = { ...process.env };
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
});
