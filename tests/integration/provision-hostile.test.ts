import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, useProvisioning } from '../helpers/provision';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { spipPrefix } from '@/lib/domain/prefix';
import { createCode } from '@/lib/codes/service';
import { SiteError } from '@/lib/sites/errors';
import { requestSite } from '@/lib/sites/request';
import { selfServiceSignup } from '@/lib/sites/self-service';

useTestFarm();
const p = useProvisioning();

const longest = [...Array(5)].map(() => 'a'.repeat(59)).join('.') + 'b'; // 300 characters of valid-looking labels
const HOSTILE = [
  '../x',
  '..',
  '.',
  'a/b',
  'a\\b',
  'x.org/../../etc',
  '../../../../tmp/evil.org',
  'a..b.org',
  '..x.org',
  '127.0.0.1',
  '10.0.0.1:80',
  '[::1]',
  '::1',
  'fe80::1',
  'exa mple.org',
  ' x .org',
  'x.org\n',
  'ex\u0000ample.org',
  'ex\tample.org',
  'ex\u007fample.org',
  longest,
  '*.x.org',
  '?.x.org',
  'user@x.org',
  'http://x.org',
  "x.org';DROP DATABASE mysql;--",
  '$(id).org',
  '`id`.org',
  '-x.org',
  'x-.org',
  'x_y.org',
  'www..x.org',
  '%2e%2e.org',
];

describe('hostile hosts', () => {
  it('are refused with a 422 on every server and create nothing', async () => {
    expect(longest).toHaveLength(300);
    const engines = availableEngines();
    const servers = await Promise.all(engines.map((e) => p.serverFor(e)));
    for (const host of HOSTILE) {
      for (const server of servers) {
        const err = await requestSite(adminActor, { host, server: server.name, webmaster: 'victim@example.org' }).catch((e: unknown) => e);
        expect(err, JSON.stringify(host)).toBeInstanceOf(SiteError);
        expect((err as SiteError).status, JSON.stringify(host)).toBe(422);
        expect((err as SiteError).message).toMatch(/is not a valid site host/);
      }
    }
    // Longer than the request schema takes: refused before the host rules even run.
    await expect(requestSite(adminActor, { host: 'a.'.repeat(3000) + 'org' })).rejects.toThrow();

    expect(await db.site.count()).toBe(0);
    expect(await db.siteAlias.count()).toBe(0);
    expect(await db.siteDatabase.count()).toBe(0);
    expect(await db.job.count()).toBe(0);
    expect(await db.user.count({ where: { email: 'victim@example.org' } })).toBe(0);
    const root = config().farmRoot;
    for (const sub of ['sites', 'trash']) {
      const dir = path.join(root, sub);
      expect(fs.existsSync(dir) ? fs.readdirSync(dir) : [], sub).toEqual([]);
    }
    // No database or account was made under any name a hostile host could have led to.
    for (const engine of engines) {
      if (engine === 'sqlite') continue;
      const probe = await p.probe(engine);
      for (const host of HOSTILE) {
        const prefix = `mu_${spipPrefix(host)}`;
        expect(await probe.databases(prefix), `${engine}: ${JSON.stringify(host)}`).toEqual([]);
        expect(await probe.users(prefix), `${engine}: ${JSON.stringify(host)}`).toEqual([]);
      }
    }
  });

  it('are refused on the self-service path too, even with a valid code, which keeps its use', async () => {
    const { code, row } = await createCode(adminActor, { label: 'hostile visitor', uses: 100 });
    for (const host of HOSTILE.slice(0, 12)) {
      const err = await selfServiceSignup('192.0.2.9', { host, email: 'visitor@example.org', password: 'a long enough password', code }).catch((e: unknown) => e);
      expect(err, JSON.stringify(host)).toBeInstanceOf(SiteError);
      expect((err as SiteError).status).toBe(422);
    }
    expect((await db.activationCode.findUniqueOrThrow({ where: { id: row.id } })).uses).toBe(0);
    expect(await db.site.count()).toBe(0);
    expect(await db.job.count()).toBe(0);
    expect(await db.user.count({ where: { email: 'visitor@example.org' } })).toBe(0);
  });
});
