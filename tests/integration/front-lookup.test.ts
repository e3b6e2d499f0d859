// The files lookup (nginx's js module reads `hosts/<host>` per request): a site's change takes
// effect at once with no nginx check and no reload; hostile Host headers never reach another
// site; a change cut short between two host files is made whole by its retry or its undo.
// Real nginx (with Debian's libnginx-mod-http-js) and PHP-FPM.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontUnavailable, useServedFarm } from '../helpers/front';
import { echoSites, frontRunning } from '../helpers/front-echo';
import { waitUntilAccepts, withDeafPhpFpm } from '../helpers/front-processes';
import { adminActor, randomPart } from '../helpers/provision';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { farmConfFile, socketPath } from '@/lib/domain/front';
import { hostFile, hostsDir, siteHostsFile } from '@/lib/domain/front-lookup';
import { describeOutcome, serveSite } from '@/lib/front/apply';
import { writeChecked } from '@/lib/front/changes';
import { frontStatus, setupFront, syncFront } from '@/lib/front/farm';
import { siteFiles } from '@/lib/front/files';
import { nginxPid } from '@/lib/front/services';
import { frontLayout, jsModuleInstalled } from '@/lib/front/settings';
import { loadSiteRecord, siteFrontOf } from '@/lib/front/site-front';
import { pendingMarkFile } from '@/lib/front/transaction';
import { addAlias, removeAlias } from '@/lib/sites/addresses';
import { setSiteEnabled } from '@/lib/sites/lifecycle';

const unavailable = frontUnavailable() ?? (jsModuleInstalled() ? null : "nginx's js module is not installed (apt-get install libnginx-mod-http-js)");
const { front } = useServedFarm({ MUTU_FRONT_LOOKUP: 'files' });

/** nginx's master and its workers: a reload replaces the workers. */
function nginxProcesses(): string {
  const master = nginxPid()!;
  const children = fs.readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim();
  return `${master}: ${children}`;
}

/** Who answers for a host: the echo platform prints its site's host; a redirect's target; the neutral 404. */
async function answer(host: string): Promise<string> {
  const r = await front.get(host);
  if (r.status === 200) return `200 ${r.body.trim()}`;
  if (r.status === 301) return `301 ${r.headers.location}`;
  return String(r.status);
}


async function servedSites(name: string, n: number): Promise<string[]> {
  await frontRunning(front);
  const hosts = Array.from({ length: n }, (_, i) => `${name}${i}-${randomPart()}.example.org`);
  await echoSites(name, hosts);
  for (const h of hosts) await serveSite(h);
  return hosts;
}

describe.skipIf(!!unavailable)('the files lookup', () => {
  it('is what setup writes when the module is installed: no map, a host file per host, new sites answer without an nginx reload', async () => {
    await frontRunning(front);
    expect(frontLayout().lookup).toBe('files');
    expect(fs.readFileSync(farmConfFile(frontLayout()), 'utf8')).toMatch(/^js_set \$mutu_site mutu_lookup\.site;$/m);
    const before = nginxProcesses();
    const host = `new-${randomPart()}.example.org`;
    await echoSites('new', [host]);
    const outcome = await serveSite(host);
    expect(outcome.reloaded).toEqual(['PHP-FPM 8.2']);
    const [written, hostFiles, ...more] = describeOutcome(outcome);
    expect(written).toMatch(/^front: \d+ files? written and checked, PHP-FPM 8\.2 reloaded$/);
    expect([hostFiles, ...more]).toEqual(['front: 1 host file written (read by nginx at each request: no reload)']);
    expect(fs.readFileSync(hostFile(frontLayout(), host), 'utf8')).toMatch(new RegExp(`^serve\\|${host.replace(/\./g, '\\.')}\\|`));
    expect(await answer(host)).toBe(`200 ${host}`);
    expect(nginxProcesses()).toBe(before);
    await db.site.update({ where: { host }, data: { status: 'disabled' } });
    expect(describeOutcome(await serveSite(host, { keepOwners: true }))).toEqual(['front: 1 host file written (read by nginx at each request: no reload)']);
    expect(await answer(host)).toBe('503');
    expect((await frontStatus()).lookup).toMatchObject({ used: 'files', wanted: 'files', advice: null });
  }, 120_000);

  it('disable, enable, alias add and remove take effect at once, nginx never reloaded', async () => {
    const [a, b] = await servedSites('toggle', 2);
    const before = nginxProcesses();
    expect(await answer(a!)).toBe(`200 ${a}`);

    await setSiteEnabled(adminActor, a!, false);
    expect(await answer(a!)).toBe('503');
    expect(await answer(b!)).toBe(`200 ${b}`);
    await setSiteEnabled(adminActor, a!, true);
    expect(await answer(a!)).toBe(`200 ${a}`);

    await addAlias(adminActor, a!, `www.${a}`);
    expect(await answer(`www.${a}`)).toBe(`301 http://${a}/`);
    await addAlias(adminActor, a!, `other-${a}`, { serve: true });
    expect(await answer(`other-${a}`)).toBe(`200 ${a}`);
    expect(fs.readFileSync(siteHostsFile(frontLayout(), a!), 'utf8')).toContain(`www.${a}`);
    await removeAlias(adminActor, a!, `www.${a}`);
    expect(await answer(`www.${a}`)).toBe('404');
    expect(fs.existsSync(hostFile(frontLayout(), `www.${a}`))).toBe(false);
    expect(await answer(`other-${a}`)).toBe(`200 ${a}`);

    expect(nginxProcesses()).toBe(before);
    expect(fs.existsSync(pendingMarkFile(frontLayout()))).toBe(false);
  }, 120_000);

  it('gives hostile or unknown Host headers the neutral 404 (or nginx its 400), never a site', async () => {
    const [a] = await servedSites('hostile', 1);
    // A file a request must never reach: beside the hosts' folder, and inside it under a name no host has.
    fs.writeFileSync(path.join(path.dirname(hostsDir(frontLayout())), 'outside'), `serve|${a}|/tmp|/tmp/x.sock||generic|\n`);
    fs.writeFileSync(path.join(hostsDir(frontLayout()), `.${a}.hidden`), fs.readFileSync(hostFile(frontLayout(), a!), 'utf8'));
    const label = 'a'.repeat(60);
    const hostile = [
      '..',
      `..%2f${a}`,
      `x%2f..%2f..%2foutside`,
      '%2e%2e%2foutside',
      `${a}%00`,
      `.${a}.hidden`,
      `${a}/`,
      `${[label, label, label, label, label].join('.')}.example.org`, // 316 characters
      'UNKNOWN.EXAMPLE.ORG',
      `nobody-${randomPart()}.example.org`,
      '_',
      '',
    ];
    for (const h of hostile) {
      const r = await front.get(h);
      expect([400, 404], `${h}: ${r.status} ${r.body.slice(0, 100)}`).toContain(r.status);
      expect(r.body, h).not.toContain(a);
      if (r.status === 404) expect(r.body, h).toContain('There is no site at this address.');
    }
    // Host names are case-insensitive: nginx's $host is lower-cased, so a site's own name in capitals is that site, no other.
    expect(await answer(a!.toUpperCase())).toBe(`200 ${a}`);
  }, 120_000);

  it('a change cut short between two host files is made whole by its retry, and by its undo', async () => {
    const [a] = await servedSites('crash', 1);
    await addAlias(adminActor, a!, `x1.${a}`);
    await addAlias(adminActor, a!, `x2.${a}`, { serve: true });
    const layout = frontLayout();
    /** What a change killed after its first `n` lookup files leaves (the registry already changed). */
    const cutShort = async (n: number) => {
      const site = (await loadSiteRecord(a!))!;
      const files = siteFiles(layout, a!, siteFrontOf(site, site.unixUser!, layout), site.unixUser).filter((f) => f.file.startsWith(layout.nginxDir));
      await writeChecked(files.slice(0, n), async () => {});
      return files.length;
    };
    const siteId = (await db.site.findUniqueOrThrow({ where: { host: a! } })).id;
    // x1 removed and x3 added in one change, killed after two of its files (its list, then a host's file).
    await db.siteAlias.deleteMany({ where: { host: `x1.${a}` } });
    await db.siteAlias.create({ data: { host: `x3.${a}`, siteId, redirect: true } });
    expect(await cutShort(2)).toBeGreaterThan(3);
    await serveSite(a!, { keepOwners: true }); // the retry
    expect(await answer(`x1.${a}`)).toBe('404');
    expect(await answer(`x2.${a}`)).toBe(`200 ${a}`);
    expect(await answer(`x3.${a}`)).toBe(`301 http://${a}/`);
    expect(fs.readFileSync(siteHostsFile(layout, a!), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).sort()).toEqual([a, `x2.${a}`, `x3.${a}`].sort());

    // The same change cut short again, then undone (the registry put back): x4 never stays.
    await db.siteAlias.create({ data: { host: `x4.${a}`, siteId, redirect: true } });
    const total = await cutShort(99);
    for (let n = 1; n < total; n++) {
      await db.siteAlias.deleteMany({ where: { host: `x4.${a}` } }).then(() => db.siteAlias.create({ data: { host: `x4.${a}`, siteId, redirect: true } }));
      await cutShort(n);
      await db.siteAlias.deleteMany({ where: { host: `x4.${a}` } });
      await serveSite(a!, { keepOwners: true }); // the undo
      expect(await answer(`x4.${a}`), `cut after ${n} files`).toBe('404');
      expect(fs.existsSync(hostFile(layout, `x4.${a}`))).toBe(false);
      expect(await answer(`x3.${a}`)).toBe(`301 http://${a}/`);
    }
    const status = await frontStatus();
    expect(status.differing.filter((d) => d.host === a)).toEqual([]);
    expect(status.stray.filter((f) => f.includes(a!))).toEqual([]);
  }, 180_000);

  it("a new site's host file is written even when PHP-FPM is slow to open its pool: it answers once PHP-FPM has it, with no retry", async () => {
    await frontRunning(front);
    const host = `slow-${randomPart()}.example.org`;
    await echoSites('slow', [host]);
    const realPid = await withDeafPhpFpm(front, async () => {
      await expect(serveSite(host)).rejects.toThrow(/did not open .* after its reload/);
    });
    expect(fs.existsSync(hostFile(frontLayout(), host))).toBe(true);
    process.kill(realPid, 'SIGUSR2');
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
    await waitUntilAccepts(socketPath(frontLayout(), unixUser!), 30_000, () => front.fpmLog().slice(-2000));
    expect(await answer(host)).toBe(`200 ${host}`);
  }, 120_000);

  it('sync switches a farm from the map to the files lookup and back, every site answering; status and sync repair host files', async () => {
    const settings = config().front;
    settings.lookup = 'map';
    let hosts: string[];
    try {
      await syncFront();
      expect(frontLayout().lookup).toBe('map');
      hosts = await servedSites('switch', 2);
      await addAlias(adminActor, hosts[0]!, `www.${hosts[0]}`);
      expect(fs.existsSync(hostFile(frontLayout(), hosts[0]!))).toBe(false);
      expect(await answer(hosts[0]!)).toBe(`200 ${hosts[0]}`);
      expect((await frontStatus()).lookup.advice).toBeNull(); // a few sites: no advice
    } finally {
      settings.lookup = 'files';
    }
    const status = await frontStatus();
    expect(status.inSync).toBe(false);
    expect(status.lookup).toMatchObject({ used: 'map', wanted: 'files' });
    // Setup again keeps what farm.conf uses: switching there, before any host file, would 404 every site.
    const setup = await setupFront();
    expect(setup).toMatchObject({ lookup: 'map', wantedLookup: 'files' });
    expect(frontLayout().lookup).toBe('map');
    for (const h of hosts) expect(await answer(h)).toBe(`200 ${h}`);
    const sync = await syncFront();
    expect(sync.reloaded).toContain('nginx');
    expect(frontLayout().lookup).toBe('files');
    expect(fs.readdirSync(path.join(frontLayout().nginxDir, 'sites')).filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const h of hosts) expect(await answer(h)).toBe(`200 ${h}`);
    expect(await answer(`www.${hosts[0]}`)).toBe(`301 http://${hosts[0]}/`);
    expect((await frontStatus()).inSync).toBe(true);
    expect((await syncFront()).changed).toEqual([]);

    // A host file taken away, another added by hand: status names them, sync puts things right.
    fs.rmSync(hostFile(frontLayout(), hosts[1]!));
    fs.writeFileSync(path.join(hostsDir(frontLayout()), 'stray.example.org'), `serve|${hosts[0]}|/tmp|/tmp/x.sock||generic|\n`);
    const broken = await frontStatus();
    expect(broken.differing).toContainEqual({ host: hosts[1], problem: `differs: hosts/${hosts[1]}` });
    expect(broken.stray).toContain(path.join(hostsDir(frontLayout()), 'stray.example.org'));
    expect(await answer(hosts[1]!)).toBe('404');
    const before = nginxProcesses();
    await syncFront();
    expect(nginxProcesses()).toBe(before);
    expect(await answer(hosts[1]!)).toBe(`200 ${hosts[1]}`);
    expect(await answer('stray.example.org')).toBe('404');
    expect((await frontStatus()).inSync).toBe(true);
  }, 180_000);
});
