// A front running, and a platform whose PHP prints the host its pool serves: which site's PHP
// answered, with no application to install (front-reload, front-map-check).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { PHP_VERSION, type TestFront } from './front';
import { adminActor, randomPart } from './provision';
import { db } from '@/lib/db/client';
import { setupFront } from '@/lib/front/farm';
import { nginxPid, phpFpmPid } from '@/lib/front/services';
import { fpmGroupsOf } from '@/lib/front/settings';
import { addPlatform } from '@/lib/platforms/service';

// Removed after the file: the sites stay in the registry, and a sync checks their pools.
const codes: string[] = [];
afterAll(() => {
  for (const c of codes.splice(0)) fs.rmSync(c, { recursive: true, force: true });
});

/** Mutu's front set up, nginx and PHP-FPM running (started once per file). */
export async function frontRunning(front: TestFront): Promise<void> {
  await setupFront();
  if (!nginxPid()) await front.startNginx();
  if (!fpmGroupsOf(PHP_VERSION).every((g) => phpFpmPid(g))) await front.startFpm();
}

/** A generic platform printing MUTU_HOST, and active sites of it (not served yet). */
export async function echoSites(name: string, hosts: string[]): Promise<void> {
  const code = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-${name}-app-`));
  codes.push(code);
  fs.writeFileSync(path.join(code, 'index.php'), "<?php echo getenv('MUTU_HOST');\n");
  fs.chmodSync(code, 0o755);
  fs.chmodSync(path.join(code, 'index.php'), 0o644);
  const platform = await addPlatform(adminActor, { name: `${name}-${randomPart()}`, profile: 'generic', path: code });
  for (const host of hosts) await db.site.create({ data: { host, status: 'active', platformId: platform.id } });
}
