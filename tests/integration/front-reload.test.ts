// A change of the front whose reload fails half-way (PHP-FPM slow to open a new pool, as at
// 10,000 pools: bench/README.md, "front") must still reach every server it wrote files for:
// a retry finds those files already written and reloads nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { adminActor, randomPart } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { socketPath } from '@/lib/domain/front';
import { serveSite } from '@/lib/front/apply';
import { setupFront } from '@/lib/front/farm';
import { frontLayout } from '@/lib/front/settings';
import { addPlatform } from '@/lib/platforms/service';

const unavailable = frontUnavailable();
const { front } = useServedFarm();

const accepts = (socket: string) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(socket);
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

describe.skipIf(!!unavailable)('a reload that fails half-way', () => {
  it('still reloads nginx when PHP-FPM does not open the new pool in time: the site answers once PHP-FPM has it, with no retry', async () => {
    await setupFront();
    await front.start();
    const code = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-reload-app-'));
    fs.writeFileSync(path.join(code, 'index.php'), "<?php echo getenv('MUTU_HOST');\n");
    fs.chmodSync(code, 0o755);
    fs.chmodSync(path.join(code, 'index.php'), 0o644);
    const platform = await addPlatform(adminActor, { name: `reload-${randomPart()}`, profile: 'generic', path: code });
    const host = `reload-${randomPart()}.example.org`;
    await db.site.create({ data: { host, status: 'active', platformId: platform.id } });

    // The PHP-FPM Mutu finds (by its pid file) is a process that ignores the reload signal.
    const pidFile = path.join(front.dir, 'php-fpm.pid');
    const realPid = fs.readFileSync(pidFile, 'utf8');
    const deaf = spawn(process.execPath, ['-e', "process.on('SIGUSR2', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => deaf.stdout.once('data', resolve));
    fs.writeFileSync(pidFile, String(deaf.pid));
    try {
      await expect(serveSite(host)).rejects.toThrow(/did not open .* after its reload/);
    } finally {
      fs.writeFileSync(pidFile, realPid);
      deaf.kill('SIGKILL');
    }

    // The real PHP-FPM reloads late (here, now); nothing of Mutu's runs again.
    process.kill(Number(realPid), 'SIGUSR2');
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
    const until = Date.now() + 30_000;
    while (!(await accepts(socketPath(frontLayout(), unixUser!)))) {
      expect(Date.now(), front.fpmLog().slice(-2000)).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await front.get(host);
    expect(r.status, r.body).toBe(200);
    expect(r.body.trim()).toBe(host);
    fs.rmSync(code, { recursive: true, force: true });
  }, 120_000);
});
