// A real front for tests: Debian's nginx and PHP-FPM started as plain processes (no systemd),
// their configuration under a temporary folder, listening on a loopback port (see
// front-processes.ts), stopped and removed after the file's tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { frontProcesses, frontUnavailable as machineLacks, type FrontProcesses } from './front-processes';
import { useTestFarm } from './registry';

export { PHP_VERSION } from './front-processes';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const fixtureCopies: string[] = [];
afterAll(() => {
  for (const d of fixtureCopies.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of a fixture application (a platform's code) where every site's user can read it, with its VERSION; removed after the file. */
export function copyFixtureApp(app: 'php-app' | 'spip-shaped', version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-${app}-v${version}-`));
  fixtureCopies.push(dir);
  fs.cpSync(path.join(FIXTURES, app), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Why the front's tests cannot run here (tests/run.js looked first, and under CI requires them), or null. */
export function frontUnavailable(): string | null {
  if (process.env.MUTU_TEST_FRONT !== '1') return 'tests/run.js found no front on this machine (root, nginx, php-fpm8.2)';
  return machineLacks();
}

export type TestFront = FrontProcesses;

/**
 * A front in a fresh folder. The port is chosen now (environment first, as Mutu reads it
 * once); start() fails clearly if something took it meanwhile.
 */
export function useTestFront(): TestFront {
  const front = frontProcesses(fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-front-')));
  afterAll(async () => {
    await front.stop();
    fs.rmSync(front.dir, { recursive: true, force: true });
  });
  return front;
}

/**
 * A test farm served by a real front: its own farm root (outside the private data folder,
 * as an admin would set MUTU_ROOT), Mutu's settings pointing at the front, and at the end
 * the front stopped, then the Unix users of the registry's sites removed (userdel refuses
 * while PHP-FPM workers run as them). Call at the top of a file instead of useTestFarm.
 */
export function useServedFarm(extraEnv: Record<string, string> = {}, opts: { farmInsideData?: boolean } = {}) {
  const front = useTestFront();
  // The embedded default keeps the farm inside the (private) data folder: the front must cope.
  const farmRoot = opts.farmInsideData ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-farm-'));
  const farm = useTestFarm({ ...front.env, ...(farmRoot ? { MUTU_ROOT: farmRoot } : {}), ...extraEnv });
  afterAll(async () => {
    await front.stop();
    const { db } = await import('../../lib/db/client');
    const sites = await db.site.findMany({ where: { unixUser: { not: null } }, select: { unixUser: true } });
    for (const s of sites) spawnSync('userdel', [s.unixUser!]);
    if (farmRoot) fs.rmSync(farmRoot, { recursive: true, force: true });
  });
  return { front, farm, farmRoot };
}
