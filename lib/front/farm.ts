import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { db } from '../db/client';
import { runTool, ToolError } from '../databases/run-tool';
import { acmeChallengeDir, farmConfFile, FrontError, isMapShardFile, mapShardBlocks, renderSiteMap, siteLookupEntries, siteMapFile, TLS_RENDERED, tlsFiles, type FrontLayout } from '../domain/front';
import { translatedError } from '../i18n/errors';
import { PROFILES } from '../domain/profiles';
import { needRoot } from './apply';
import { writeChecked, type FileChange } from './changes';
import { farmConfLookup, hostsDir, isLookupFile, siteHostsDir } from '../domain/front-lookup';
import { farmFiles, fpmVersions, lookupFilesOf, mapShardFiles, releaseMovedPools, reloadChanged, siteOwnFiles } from './files';
import { withFrontLock } from './lock';
import { writeCheckReload } from './transaction';
import { applyOwnership, checkCodeReadable, openFarmPath, webGroupId } from './ownership';
import { installedPhpVersions, nginxPid, nginxTest, phpFpmPid, phpFpmReload, phpFpmTest } from './services';
import { fpmGroup, fpmGroupCount, fpmGroupsOf, fpmGroupsPresent, frontIsSetUp, frontLayout, jsModuleInstalled, wantedLookup } from './settings';
import { fpmGroupsStatus, groupStartCommands, groupUnitFiles, type FpmGroupStatus } from './fpm-groups';
import { isServed, SITE_RECORD_INCLUDE, siteFrontOf, type SiteRecord } from './site-front';
import { siteAccount } from './reserve';
import { unixAccount } from './unix-users';

const read = (f: string) => {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return null;
  }
};

async function allSites(): Promise<SiteRecord[]> {
  return db.site.findMany({ include: SITE_RECORD_INCLUDE, orderBy: { host: 'asc' } });
}

/**
 * Every file the front should hold for the registry as it is: each site's own files by host,
 * its map lines by host (`blocks`), the map's shards holding them; `problems` for sites it
 * cannot serve as they are.
 */
function expectedSiteFiles(layout: FrontLayout, sites: SiteRecord[]) {
  const byHost = new Map<string, FileChange[]>();
  const blocks = new Map<string, string>();
  const problems: { host: string; problem: string }[] = [];
  for (const site of sites.filter(isServed)) {
    if (!site.unixUser) {
      problems.push({ host: site.host, problem: 'no Unix user yet (not served)' });
      continue;
    }
    try {
      const front = siteFrontOf(site, site.unixUser, layout);
      if (site.certificate && !front.tls && layout.listenTls.length) {
        problems.push({ host: site.host, problem: `its certificate's files are missing from ${tlsFiles(layout, site.host).dir}: served over plain HTTP until it gets one again (mutu tls issue, mutu tls import)` });
      }
      const own = siteOwnFiles(layout, site.host, front, site.unixUser);
      if (layout.lookup === 'files') own.push(...lookupFilesOf(layout, new Map([[site.host, siteLookupEntries(layout, front)]])));
      else blocks.set(site.host, renderSiteMap(layout, front));
      byHost.set(site.host, own);
    } catch (err) {
      problems.push({ host: site.host, problem: err instanceof Error ? err.message : String(err) });
    }
  }
  // Files lookup: no site in the map, so every shard goes.
  return { byHost, blocks, shards: mapShardFiles(layout, blocks), problems };
}

/** Files of Mutu's in the front's folders that no site of the registry accounts for. */
function strayFiles(layout: FrontLayout, expected: Set<string>): string[] {
  const out: string[] = [];
  const sitesDir = path.join(layout.nginxDir, 'sites');
  // The shards are rewritten whole by a sync; older versions' files of one site each are stray.
  for (const f of fs.existsSync(sitesDir) ? fs.readdirSync(sitesDir) : []) if (f.endsWith('.map') && !isMapShardFile(f)) out.push(path.join(sitesDir, f));
  // Hosts' files and lists of the files lookup (all of them with the map).
  for (const dir of [hostsDir(layout), siteHostsDir(layout)]) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (!f.startsWith('.')) out.push(path.join(dir, f));
  }
  const tlsDir = path.join(layout.nginxDir, 'tls');
  for (const h of fs.existsSync(tlsDir) ? fs.readdirSync(tlsDir) : []) {
    for (const name of TLS_RENDERED) if (fs.existsSync(path.join(tlsDir, h, name))) out.push(path.join(tlsDir, h, name));
  }
  for (const g of fpmVersions().flatMap((v) => fpmGroupsPresent(v))) {
    for (const f of fs.existsSync(g.pools) ? fs.readdirSync(g.pools) : []) if (/^mutu-.+\.conf$/.test(f) && f !== 'mutu-idle.conf') out.push(path.join(g.pools, f));
  }
  return out.filter((f) => !expected.has(f));
}

export interface SyncReport {
  sites: number;
  usersCreated: string[];
  changed: string[];
  removed: string[];
  reloaded: string[];
  problems: { host: string; problem: string }[];
  /** PHP-FPM groups left from another number of groups, and what to do about them (can be stopped) */
  groups: FpmGroupStatus[];
}

/**
 * Rewrites the whole front from the registry: the farm's files, each served site's Unix
 * user, folder owners, map lines and pool, and removes what no site accounts for. One check
 * and one reload for everything; idempotent (a second run changes nothing).
 */
export async function syncFront(opts: { deep?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<SyncReport> {
  if (!frontIsSetUp()) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNotSetUp');
  needRoot();
  const layout = frontLayout({ wanted: true });
  return withFrontLock(layout.nginxDir, async () => {
    const sites = await allSites();
    const served = sites.filter(isServed);
    const webGid = webGroupId(layout.webUser);
    openFarmPath(layout.farmRoot, [config().dataDir, layout.farmRoot]);
    const usersCreated: string[] = [];
    const problems: SyncReport['problems'] = [];
    let done = 0;
    for (const site of served) {
      try {
        const fresh = !site.unixUser || !unixAccount(site.unixUser);
        const account = await siteAccount(site);
        if (fresh) usersCreated.push(account.name);
        site.unixUser = account.name;
        const front = siteFrontOf(site, account.name);
        checkCodeReadable(front.codePath);
        await applyOwnership(front.siteDir, PROFILES[front.profile], { site: account, webGid }, { deep: fresh || !!opts.deep, connectionFile: front.connectionFile });
      } catch (err) {
        problems.push({ host: site.host, problem: err instanceof Error ? err.message : String(err) });
      }
      opts.onProgress?.(++done, served.length);
    }
    const expected = expectedSiteFiles(layout, sites);
    for (const p of expected.problems) if (!problems.some((q) => q.host === p.host)) problems.push(p);
    const changes: FileChange[] = [...(await farmFiles(layout)), ...expected.shards, ...[...expected.byHost.values()].flat()];
    const stray = strayFiles(layout, new Set(changes.filter((c) => c.content !== null).map((c) => c.file)));
    changes.push(...stray.map((file) => ({ file, content: null })));
    fs.mkdirSync(layout.runDir, { recursive: true, mode: 0o755 });
    const released = await releaseMovedPools(layout, changes);
    const applied = await writeCheckReload(layout, changes, { bulk: true });
    const changed = applied.changed;
    const reloaded = [...new Set([...released, ...applied.reloaded])];
    // Masters whose files changed after their last load (a change cut short before its reload): reloaded now.
    for (const st of fpmGroupsStatus().filter((x) => x.reloadPending && !reloaded.includes(x.label))) {
      if ((await phpFpmReload(fpmGroup(st.version, st.index))) === 'reloaded') reloaded.push(st.label);
    }
    const groups = fpmGroupsStatus().filter((g) => !g.expected || !g.running);
    return { sites: served.length, usersCreated, changed: changed.filter((f) => !stray.includes(f)), removed: stray, reloaded, problems, groups };
  });
}

export interface FrontStatus {
  nginx: { installed: boolean; running: boolean; included: boolean | null };
  php: { version: string; running: boolean }[];
  /** each PHP-FPM master holding the farm's pools (one per version, or Mutu's groups) */
  groups: FpmGroupStatus[];
  setUp: boolean;
  layout: FrontLayout;
  sites: number;
  /** sites whose files differ from the registry, or that cannot be served as they are */
  differing: { host: string; problem: string }[];
  stray: string[];
  inSync: boolean;
  /** how nginx finds a request's site: as farm.conf is written (null: not set up), as the setting asks */
  lookup: { used: 'files' | 'map' | null; wanted: 'files' | 'map'; jsModule: boolean; advice: string | null };
}

/** Whether the front is installed, running and in sync with the registry. Reads only. */
export async function frontStatus(): Promise<FrontStatus> {
  const layout = frontLayout({ wanted: true });
  const setUp = frontIsSetUp();
  const nginxInstalled = await runTool('nginx', ['-v']).then(
    () => true,
    () => false,
  );
  const included = setUp && nginxInstalled ? await nginxIncludes(farmConfFile(layout)).catch(() => false) : null;
  const sites = await allSites();
  const differing: FrontStatus['differing'] = [];
  let stray: string[] = [];
  if (setUp) {
    const expected = expectedSiteFiles(layout, sites);
    differing.push(...expected.problems);
    const onDisk = new Map(expected.shards.map((f) => [f.file, mapShardBlocks(read(f.file) ?? '')]));
    const explained = new Set<string>();
    for (const [host, files] of expected.byHost) {
      const bad = files.filter((f) => read(f.file) !== f.content).map((f) => (isLookupFile(layout, f.file) ? path.relative(layout.nginxDir, f.file) : path.basename(f.file)));
      const shard = siteMapFile(layout, host);
      if (onDisk.get(shard)!.get(host) !== expected.blocks.get(host)) {
        bad.unshift(`its lines in ${path.basename(shard)}`);
        explained.add(shard);
      }
      if (bad.length) differing.push({ host, problem: `differs: ${bad.join(', ')}` });
    }
    const allExpected = new Set([...expected.byHost.values()].flat().filter((f) => f.content !== null).map((f) => f.file));
    stray = strayFiles(layout, allExpected);
    for (const f of expected.shards) {
      const extra = [...onDisk.get(f.file)!.keys()].filter((h) => !expected.blocks.has(h));
      if (extra.length) stray.push(...extra.map((h) => `${f.file}: the lines of ${h}`));
      // What no site's lines account for (a line added by hand before the first site's).
      else if (!explained.has(f.file) && read(f.file) !== f.content) differing.push({ host: '(farm)', problem: `${f.file} differs` });
    }
    for (const f of await farmFiles(layout)) if (read(f.file) !== f.content) differing.push({ host: '(farm)', problem: `${f.file} differs` });
  }
  const groups = setUp ? fpmGroupsStatus() : [];
  const misplaced = groups.reduce((n, g) => n + g.misplaced.length + (g.reloadPending ? 1 : 0), 0);
  return {
    nginx: { installed: nginxInstalled, running: !!nginxPid(), included },
    php: installedPhpVersions().map((version) => ({ version, running: fpmGroupsOf(version).every((g) => !!phpFpmPid(g)) })),
    groups,
    setUp,
    layout,
    sites: sites.filter(isServed).length,
    lookup: lookupStatus(sites.filter(isServed).length),
    differing,
    stray,
    inSync: setUp && differing.length === 0 && stray.length === 0 && misplaced === 0,
  };
}

/** Whether nginx's whole configuration (`nginx -T`) includes this file. */
async function nginxIncludes(file: string): Promise<boolean> {
  const out = path.join(fs.mkdtempSync(path.join(config().dataDir, '.nginx-T-')), 'dump');
  try {
    await runTool('nginx', ['-T', '-q', '-c', config().front.nginxConf], { stdoutFile: out });
    return fs.readFileSync(out, 'utf8').includes(`# configuration file ${file}:`);
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

const JS_MODULE_NOT_LOADED =
  "nginx's js module is installed but this nginx.conf does not load it: add `load_module modules/ngx_http_js_module.so;` at its top (Debian's nginx.conf loads /etc/nginx/modules-enabled/*.conf), or set MUTU_FRONT_LOOKUP=map.";

/** At this many sites a map's reload takes nginx's master hundreds of ms of CPU: the files lookup is worth installing. */
export const LOOKUP_ADVICE_SITES = 1000;

/** Which lookup farm.conf uses, which the setting asks for, and a word of advice (null: none). */
export function lookupStatus(sites: number): FrontStatus['lookup'] {
  const used = farmConfLookup(read(farmConfFile(frontLayout({ wanted: true }))));
  const wanted = wantedLookup();
  const js = jsModuleInstalled();
  let advice: string | null = null;
  if (used && used !== wanted) advice = `farm.conf uses the ${used} lookup, the setting asks for ${wanted}: mutu front sync switches it`;
  else if (wanted === 'map' && !js && sites >= LOOKUP_ADVICE_SITES) {
    advice = `at ${sites} sites each site's change reloads nginx (hundreds of ms of CPU): apt-get install libnginx-mod-http-js, then mutu front sync, and changes need no reload`;
  }
  return { used, wanted, jsModule: js, advice };
}

export interface SetupReport {
  written: string[];
  lookup: 'files' | 'map';
  /** the lookup the setting asks for: when it differs, `mutu front sync` switches to it */
  wantedLookup: 'files' | 'map';
  include: string | null;
  reloaded: string[];
  /** with PHP-FPM groups: the commands that start their masters */
  start: string[];
  /** the groups whose master does not run */
  groupsStopped: string[];
}

/**
 * Writes the farm's front once: Mutu's nginx folder (the farm's server, its pages and
 * parameters), the file that includes it in nginx's http block (Debian: conf.d/), the SPIP
 * bootstrap and an idle pool per PHP version. Checked before anything is reloaded; a failed
 * check takes it all back.
 */
export async function setupFront(): Promise<SetupReport> {
  needRoot();
  // A farm already served keeps the lookup its farm.conf uses: switching it here would make nginx
  // look for host files no sync has written yet (every site 404). The sync switches it, host files
  // first (syncFront). A new front takes the one the setting asks for.
  const layout = frontLayout();
  if (!installedPhpVersions().length) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNoPhpFpmSetup');
  await runTool('nginx', ['-v']).catch(() => {
    throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNoNginx');
  });
  webGroupId(layout.webUser);
  openFarmPath(layout.farmRoot, [config().dataDir, layout.farmRoot]);
  return withFrontLock(layout.nginxDir, async () => {
    for (const d of ['sites', 'hosts', 'site-hosts', 'pages', 'php', 'empty']) fs.mkdirSync(path.join(layout.nginxDir, d), { recursive: true, mode: 0o755 });
    fs.mkdirSync(acmeChallengeDir(layout), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(layout.nginxDir, 'tls'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(layout.runDir, { recursive: true, mode: 0o755 });
    const changes = [...(await farmFiles(layout)), ...groupUnitFiles(await db.site.count())];
    const include = config().front.nginxInclude;
    if (include) changes.push({ file: include, content: `# Written by Mutu: the farm's sites (mutu front status).\ninclude ${farmConfFile(layout)};\n` });
    let written: string[];
    try {
      written = await writeChecked(changes, async () => {
        await nginxTest();
        for (const g of fpmVersions().flatMap((v) => fpmGroupsOf(v))) await phpFpmTest(g);
      });
    } catch (err) {
      if (err instanceof ToolError && /unknown directive "js_(import|set)"/.test(err.stderr)) {
        throw new FrontError(`${err.message}\n${JS_MODULE_NOT_LOADED}`);
      }
      if (err instanceof ToolError && /duplicate default server/.test(err.stderr)) {
        throw translatedError((m) => new FrontError(m), 'serviceErrors.frontDefaultServer', { reason: err.message, listen: layout.listen.join(', ') });
      }
      throw err;
    }
    const reloaded = await reloadChanged(layout, written);
    const groupsStopped = fpmGroupCount() > 1 ? fpmVersions().flatMap((v) => fpmGroupsOf(v)).filter((g) => !phpFpmPid(g)).map((g) => g.label) : [];
    return { written, lookup: layout.lookup ?? 'map', wantedLookup: wantedLookup(), include: include || null, reloaded, start: groupStartCommands(), groupsStopped };
  });
}
