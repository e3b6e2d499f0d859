// PHP-FPM pool groups (MUTU_FRONT_PHP_GROUPS): several real PHP-FPM masters, each holding a
// share of the sites' pools, so that a change checks and reloads one group while the others
// keep serving untouched (at 10,000 pools in one master a reload took a minute: bench/README.md,
// "front").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { runCli } from '../helpers/cli';
import { adminActor, randomPart } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { fpmGroupIndex, fpmGroupName } from '@/lib/domain/fpm-groups';
import { serveSite } from '@/lib/front/apply';
import { setupFront, syncFront } from '@/lib/front/farm';
import { poolFile } from '@/lib/front/files';
import { frontLayout } from '@/lib/front/settings';
import { addPlatform } from '@/lib/platforms/service';

const unavailable = frontUnavailable();
const systemdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-systemd-'));
const { front, farm } = useServedFarm({ MUTU_FRONT_PHP_GROUPS: '3', MUTU_FRONT_SYSTEMD_DIR: systemdDir });
afterAll(() => fs.rmSync(systemdDir, { recursive: true, force: true }));

const codeDirs: string[] = [];
afterAll(() => {
  for (const d of codeDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A platform whose PHP prints the site its pool serves, the user it runs as and the platform's version. */
async function platform(version: string) {
  const code = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-groups-app-v${version}-`));
  codeDirs.push(code);
  fs.writeFileSync(path.join(code, 'index.php'), `<?php echo getenv('MUTU_HOST'), '|', posix_getpwuid(posix_geteuid())['name'], '|${version}';\n`);
  fs.chmodSync(code, 0o755);
  fs.chmodSync(path.join(code, 'index.php'), 0o644);
  return addPlatform(adminActor, { name: `groups-${version}-${randomPart()}`, profile: 'generic', path: code });
}

interface Served {
  host: string;
  user: string;
}

/** A site's change reloads nginx with the map lookup only (files lookup: its host's file is read per request). */
const nginxReloads = () => (frontLayout().lookup === 'map' ? ['nginx'] : []);
const groupOf = (s: Served, n = 3) => fpmGroupName(fpmGroupIndex(s.user, n));
const pidFileMtime = (group: string) => {
  const conf = fs.readFileSync(front.fpmGroupConf(group), 'utf8');
  return fs.statSync(/^pid = (\S+)$/m.exec(conf)![1]!).mtimeMs;
};

async function expectAnswers(s: Served, version: string) {
  const r = await front.get(s.host);
  expect(r.status, r.body + front.nginxLog().slice(-1000) + front.fpmLog().slice(-3000)).toBe(200);
  expect(r.body).toBe(`${s.host}|${s.user}|${version}`);
}

describe.skipIf(!!unavailable)('PHP-FPM pool groups (3 masters)', () => {
  let v1: Awaited<ReturnType<typeof platform>>;
  let v2: Awaited<ReturnType<typeof platform>>;
  const sites: Served[] = [];

  beforeAll(async () => {
    const setup = await setupFront();
    const unit = path.join(systemdDir, 'mutu-php-fpm8.2@.service');
    expect(setup.written).toContain(unit);
    for (const g of ['g01', 'g02', 'g03']) expect(setup.written).toContain(front.fpmGroupConf(g));
    expect(fs.readFileSync(unit, 'utf8')).toMatch(/^Type=notify$/m);
    expect(fs.readFileSync(unit, 'utf8')).toMatch(/^LimitNOFILE=\d+$/m);
    expect(fs.readFileSync(front.fpmGroupConf('g02'), 'utf8')).toMatch(/^log_level = warning$/m);
    expect(setup.start).toContain('systemctl enable --now mutu-php-fpm8.2@g01.service mutu-php-fpm8.2@g02.service mutu-php-fpm8.2@g03.service');
    expect(setup.groupsStopped).toEqual(['PHP-FPM 8.2-g01', 'PHP-FPM 8.2-g02', 'PHP-FPM 8.2-g03']); // the CLI does not sync then
    expect((await setupFront()).written).toEqual([]); // idempotent
    await front.startNginx();
    await front.startFpmGroups();
    expect(Object.keys(front.fpmGroupPids()).sort()).toEqual(['g01', 'g02', 'g03']);
    v1 = await platform('1');
    v2 = await platform('2');
    // Sites until at least two groups hold some, one of them two (the group is a hash of the Unix user).
    const enough = () => sites.length >= 4 && new Set(sites.map((s) => groupOf(s))).size >= 2 && sites.some((s) => sites.filter((t) => groupOf(t) === groupOf(s)).length >= 2);
    for (let i = 0; i < 16 && !enough(); i++) {
      const host = `grp${i}-${randomPart()}.example.org`;
      await db.site.create({ data: { host, status: 'active', platformId: v1.id } });
      const outcome = await serveSite(host);
      const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
      const s = { host, user: unixUser! };
      expect(outcome.reloaded).toEqual([`PHP-FPM 8.2-${groupOf(s)}`, ...nginxReloads()]);
      sites.push(s);
    }
  }, 240_000);

  it('serves each site from its own pool, in its group only, whatever the group', async () => {
    expect(new Set(sites.map((s) => groupOf(s))).size).toBeGreaterThanOrEqual(2);
    for (const s of sites) {
      await expectAnswers(s, '1');
      const own = poolFile('8.2', s.user);
      expect(own).toContain(`/mutu-groups/${groupOf(s)}/pool.d/`);
      expect(fs.existsSync(own)).toBe(true);
      for (const g of ['g01', 'g02', 'g03'].filter((g) => g !== groupOf(s))) {
        expect(fs.existsSync(path.join(path.dirname(front.fpmGroupConf(g)), 'pool.d', path.basename(own)))).toBe(false);
      }
    }
  });

  it("a change of a site reloads its group only: the other masters keep their pid, do not reload, and serve during it", async () => {
    const changed = sites[0]!;
    const other = sites.find((s) => groupOf(s) !== groupOf(changed))!;
    const pids = front.fpmGroupPids();
    const stamps = Object.fromEntries(Object.keys(pids).map((g) => [g, pidFileMtime(g)]));
    await new Promise((r) => setTimeout(r, 50)); // a pid file rewritten now has another mtime
    await db.site.update({ where: { host: changed.host }, data: { platformId: v2.id } });
    const during = front.get(other.host);
    const outcome = await serveSite(changed.host);
    // Its platform's code path is in its host's file too (the map's lookup: nginx reloads); its group only.
    expect(outcome.reloaded).toEqual([`PHP-FPM 8.2-${groupOf(changed)}`, ...nginxReloads()]);
    const r = await during;
    expect(r.status).toBe(200);
    await expectAnswers(changed, '2');
    expect(front.fpmGroupPids()).toEqual(pids);
    for (const g of Object.keys(pids)) {
      if (g === groupOf(changed)) expect(pidFileMtime(g), `${g} reloaded`).toBeGreaterThan(stamps[g]!);
      else expect(pidFileMtime(g), `${g} untouched`).toBe(stamps[g]);
    }
    for (const s of sites.slice(1)) await expectAnswers(s, '1');
  });

  it("a pool broken by hand in one group is reported with its file and php-fpm's words; the files are put back and the other groups keep serving", async () => {
    // Two sites of one group: one's pool broken by hand, the other's changed.
    const a = sites.find((s) => sites.some((t) => t !== s && groupOf(t) === groupOf(s)))!;
    const victim = sites.find((s) => s !== a && groupOf(s) === groupOf(a))!;
    const version = a === sites[0] ? '2' : '1';
    const broken = poolFile('8.2', victim.user);
    const brokenBefore = fs.readFileSync(broken, 'utf8');
    const changedPool = poolFile('8.2', a.user);
    const changedBefore = fs.readFileSync(changedPool, 'utf8');
    fs.writeFileSync(broken, `${brokenBefore}this is not php-fpm\n`);
    const pids = front.fpmGroupPids();
    try {
      await db.site.update({ where: { host: a.host }, data: { platformId: version === '2' ? v1.id : v2.id } });
      const escaped = broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await expect(serveSite(a.host)).rejects.toThrow(new RegExp(escaped));
      expect(fs.readFileSync(changedPool, 'utf8')).toBe(changedBefore); // put back
      expect(front.fpmGroupPids()).toEqual(pids);
      await expectAnswers(a, version); // still what it served
      for (const s of sites.filter((s) => groupOf(s) !== groupOf(a))) await expectAnswers(s, s === sites[0] ? '2' : '1');
    } finally {
      fs.writeFileSync(broken, brokenBefore);
    }
    // The files put back are what the group loaded, its pool folder's times too: no reload said to pend (the
    // site itself differs from the registry, which asks for the change refused).
    const status = await runCli(['front', 'status'], { env: { ...farm.env, MUTU_FRONT_PHP_GROUPS: '3', MUTU_FRONT_SYSTEMD_DIR: systemdDir } });
    expect(status.stdout).toContain(`${a.host}: differs`);
    expect(status.stdout).not.toContain('its files changed since it last loaded them');
    // Every site back on v1 for what follows.
    for (const s of [a, sites[0]!]) {
      await db.site.update({ where: { host: s.host }, data: { platformId: v1.id } });
      await serveSite(s.host);
      await expectAnswers(s, '1');
    }
  });

  it('status and doctor say per group whether its master runs and its pools; a stopped group says how to start it', async () => {
    const env = { ...farm.env, MUTU_FRONT_PHP_GROUPS: '3', MUTU_FRONT_SYSTEMD_DIR: systemdDir };
    const status = await runCli(['front', 'status'], { env });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    for (const g of ['g01', 'g02', 'g03']) {
      const pools = sites.filter((s) => groupOf(s) === g).length;
      expect(status.stdout).toContain(`PHP-FPM 8.2-${g}: running, ${pools} pools`);
    }
    const json = JSON.parse((await runCli(['front', 'status', '--json'], { env })).stdout) as { groups: { group: string; running: boolean; pools: number }[] };
    expect(json.groups.map((g) => g.group)).toEqual(['g01', 'g02', 'g03']);
    // A fourth group asked for and never started: status and doctor say how to start it.
    const four = { ...env, MUTU_FRONT_PHP_GROUPS: '4' };
    const stopped = await runCli(['front', 'status'], { env: four });
    expect(stopped.stdout, stopped.stderr).toContain('PHP-FPM 8.2-g04: not running, 0 pools; start it: systemctl enable --now mutu-php-fpm8.2@g04.service');
    const doctor = await runCli(['doctor'], { env: four });
    expect(doctor.stdout, doctor.stderr).toMatch(/PHP-FPM 8\.2-g04 not running \(start it: systemctl enable --now mutu-php-fpm8\.2@g04\.service/);
    const doctorOk = await runCli(['doctor'], { env });
    expect(doctorOk.stdout).toMatch(/in sync \(PHP-FPM: 3 groups\)/);
  }, 240_000);

  it('a group whose files changed after its last load (a change cut short before its reload) is reported, and sync reloads it alone', async () => {
    const s = sites[1]!;
    const pool = poolFile('8.2', s.user);
    const stamps = Object.fromEntries(['g01', 'g02', 'g03'].map((g) => [g, pidFileMtime(g)]));
    await new Promise((r) => setTimeout(r, 50));
    // As writeChecked() leaves it when the process dies before reloadChanged(): written beside, renamed.
    fs.writeFileSync(`${pool}.new`, fs.readFileSync(pool));
    fs.renameSync(`${pool}.new`, pool);
    const env = { ...farm.env, MUTU_FRONT_PHP_GROUPS: '3', MUTU_FRONT_SYSTEMD_DIR: systemdDir };
    const status = await runCli(['front', 'status'], { env });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`PHP-FPM 8.2-${groupOf(s)}: running, `);
    expect(status.stdout).toContain('its files changed since it last loaded them: mutu front sync reloads it');
    const sync = await syncFront();
    expect(sync.reloaded).toEqual([`PHP-FPM 8.2-${groupOf(s)}`]);
    const until = Date.now() + 30_000;
    while (pidFileMtime(groupOf(s)) === stamps[groupOf(s)]) {
      expect(Date.now()).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const g of ['g01', 'g02', 'g03'].filter((g) => g !== groupOf(s))) expect(pidFileMtime(g)).toBe(stamps[g]);
    expect((await runCli(['front', 'status'], { env })).code).toBe(0);
    for (const x of sites) await expectAnswers(x, '1');
  }, 120_000);

  it('sync after going from 3 groups to 2 moves the pools, says g03 can be stopped, and every site still answers', async () => {
    const env = { ...farm.env, MUTU_FRONT_PHP_GROUPS: '2', MUTU_FRONT_SYSTEMD_DIR: systemdDir };
    const before = await runCli(['front', 'status'], { env });
    expect(before.code).toBe(3);
    const misplaced = sites.filter((s) => groupOf(s, 3) !== groupOf(s, 2));
    if (misplaced.length) expect(before.stdout).toMatch(/belong to another group/);
    const sync = await runCli(['front', 'sync'], { env, timeoutMs: 120_000 });
    expect(sync.code, sync.stdout + sync.stderr + front.fpmLog().slice(-3000)).toBe(0);
    expect(sync.stdout).toMatch(/PHP-FPM 8\.2-g03 \(0 pools\): it holds no site's pool now and can be stopped: systemctl disable --now mutu-php-fpm8\.2@g03\.service/);
    for (const s of sites) {
      await expectAnswers(s, '1');
      const own = path.join(path.dirname(front.fpmGroupConf(groupOf(s, 2))), 'pool.d', `mutu-${s.user}.conf`);
      expect(fs.existsSync(own), own).toBe(true);
    }
    const g03 = path.join(path.dirname(front.fpmGroupConf('g03')), 'pool.d');
    expect(fs.readdirSync(g03).filter((f) => f !== 'mutu-idle.conf')).toEqual([]);
    const after = await runCli(['front', 'status'], { env });
    expect(after.code, after.stdout).toBe(0);
    // Safe to run again: nothing left to move.
    const again = await runCli(['front', 'sync'], { env });
    expect(again.stdout).toMatch(/0 files written, 0 removed/);
  }, 180_000);
});
