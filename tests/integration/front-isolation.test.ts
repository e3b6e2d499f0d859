// Isolation per site, as a hoster promises its members: each site's PHP runs as its own Unix
// user, confined by open_basedir and by the files' owners. Each layer is tested on its own:
// through the site's PHP (both layers at once), and as the site's Unix user with no PHP at all
// (the owners alone: what a PHP escape from open_basedir would still meet).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { adminActor, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { siteSql } from '../helpers/export-sites';
import { config, loadConfig } from '@/lib/config';
import { loadSecretKey } from '@/lib/config/secret-key';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { prepareSiteUser, serveSite } from '@/lib/front/apply';
import { setupFront } from '@/lib/front/farm';
import { addPlatform } from '@/lib/platforms/service';
import { requestSite } from '@/lib/sites/request';

const unavailable = frontUnavailable();
const { front, farm } = useServedFarm({}, { farmInsideData: true });
const p = useProvisioning();

interface Site {
  host: string;
  dir: string;
  user: string;
}

async function makeSite(platform: string): Promise<Site> {
  const host = p.trackHost(randomHost('iso'));
  const r = await requestSite(adminActor, { host, platform });
  expect((await waitForJob(r.job.id, 60_000)).status).toBe('succeeded');
  const site = await db.site.findUniqueOrThrow({ where: { host } });
  const a = await siteDbAccess(site.id);
  await siteSql(a, ["CREATE TABLE articles (id INTEGER PRIMARY KEY, titre VARCHAR(100))", "INSERT INTO articles VALUES (1, 'mine')"]);
  return { host, dir: path.join(config().farmRoot, 'sites', host), user: site.unixUser! };
}

/** What site A's PHP can do, asked through the front. */
async function probe(a: Site, query: string): Promise<{ read?: number | false; list?: number | false; write?: boolean; user: string }> {
  const r = await front.get(a.host, `/probe.php?${query}`);
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body);
}

/** Whether a Unix user, with no PHP in the way, can read a file or list a folder. */
function canAs(user: string, args: string[]): boolean {
  return spawnSync('runuser', ['-u', user, '--', ...args], { stdio: 'ignore' }).status === 0;
}

describe.skipIf(!!unavailable)('isolation between sites', () => {
  let a: Site;
  let b: Site;
  let registry: string;
  let secretKey: string;

  beforeAll(async () => {
    await setupFront();
    await front.start();
    await p.startWorker();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-php-app-iso-'));
    fs.cpSync(path.resolve(import.meta.dirname, '../fixtures/php-app'), dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    const platform = await addPlatform(adminActor, { name: `php-app-iso-${path.basename(dir).slice(-6).toLowerCase()}`, profile: 'generic', path: dir });
    [a, b] = [await makeSite(platform.name), await makeSite(platform.name)];
    // B's visitors upload something; Mutu's own secrets sit in its data folder, as in production.
    expect((await front.get(b.host)).status).toBe(200);
    registry = farm.registryFile;
    loadSecretKey(loadConfig({ ...process.env, MUTU_SECRET_KEY: undefined }).dataDir, undefined);
    secretKey = path.join(config().dataDir, 'secret.key');
    expect(fs.existsSync(secretKey)).toBe(true);
  });

  const targets = () => ({
    "B's connection file": path.join(b.dir, 'config', 'mutu.env'),
    "B's uploads": path.join(b.dir, 'data', 'visit.txt'),
    "B's database": path.join(b.dir, 'db', fs.readdirSync(path.join(b.dir, 'db')).find((f) => f.endsWith('.sqlite'))!),
    '/etc/shadow': '/etc/shadow',
    "Mutu's registry": registry,
    "Mutu's secret key": secretKey,
  });

  it("A's PHP runs as A's own user and reads its own files", async () => {
    const own = await probe(a, `read=${encodeURIComponent(path.join(a.dir, 'config', 'mutu.env'))}`);
    expect(own.user).toBe(a.user);
    expect(own.read).toBeGreaterThan(0);
    expect((await probe(a, `write=${encodeURIComponent(path.join(a.dir, 'data', 'mine.txt'))}`)).write).toBe(true);
  });

  it("A's PHP can read none of B's files, /etc/shadow, Mutu's registry or its secret key", async () => {
    for (const [what, file] of Object.entries(targets())) {
      expect(fs.existsSync(file), `${what} exists`).toBe(true);
      expect((await probe(a, `read=${encodeURIComponent(file)}`)).read, what).toBe(false);
    }
    expect((await probe(a, `list=${encodeURIComponent(b.dir)}`)).list).toBe(false);
  });

  it("as A's Unix user, without PHP, the files' owners alone refuse the same", () => {
    expect(canAs(a.user, ['cat', path.join(a.dir, 'config', 'mutu.env')])).toBe(true);
    for (const [what, file] of Object.entries(targets())) expect(canAs(a.user, ['cat', file]), what).toBe(false);
    expect(canAs(a.user, ['ls', b.dir])).toBe(false);
    expect(canAs(a.user, ['ls', config().dataDir])).toBe(false);
  });

  it('a site reads its connection file but cannot change it, and writes only its writable folders', async () => {
    for (const file of [path.join(a.dir, 'config', 'mutu.env'), path.join(a.dir, 'config', 'new.php'), path.join(a.dir, 'planted.php'), path.join(a.dir, 'log', 'x')]) {
      expect((await probe(a, `write=${encodeURIComponent(file)}`)).write, file).toBe(false);
      expect(canAs(a.user, ['touch', file]), file).toBe(false);
    }
    expect(canAs(a.user, ['touch', path.join(a.dir, 'tmp', 'ok')])).toBe(true);
  });

  it("a link a site puts in its folders never makes Mutu change the file it points to", async () => {
    const victim = path.join(os.tmpdir(), `mutu-victim-${Date.now()}`);
    fs.writeFileSync(victim, 'root only\n', { mode: 0o600 });
    try {
      // As the site, in what it may write: a link in its uploads, in its temporary folder, and in its database folder.
      for (const dir of ['data', 'tmp', 'db']) expect(canAs(a.user, ['ln', '-s', victim, path.join(a.dir, dir, `link-${dir}`)]), dir).toBe(true);
      await prepareSiteUser(a.host, { deep: true });
      await serveSite(a.host, { deep: true });
      const st = fs.statSync(victim);
      expect({ uid: st.uid, gid: st.gid, mode: (st.mode & 0o7777).toString(8) }).toEqual({ uid: 0, gid: 0, mode: '600' });
      expect(fs.lstatSync(path.join(a.dir, 'data', 'link-data')).isSymbolicLink()).toBe(true);
    } finally {
      fs.rmSync(victim, { force: true });
    }
  });

  it('PHP put in an uploads folder is never executed', async () => {
    fs.writeFileSync(path.join(a.dir, 'data', 'shell.php'), '<?php echo "RAN AS " . get_current_user();');
    const r = await front.get(a.host, `/sites/${a.host}/data/shell.php`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('<?php echo "RAN AS " . get_current_user();'); // the source, as a file
    for (const tricky of [`/sites/${a.host}/data/shell.php/x.php`, `/sites/${a.host}/data/shell.php%00.txt`, `/sites/${a.host}/data/../data/shell.php`]) {
      expect((await front.get(a.host, tricky)).body, tricky).not.toMatch(/^RAN AS/);
    }
  });
});
