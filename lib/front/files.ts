import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db/client';
import {
  FASTCGI_PARAMS,
  farmConfFile,
  poolName,
  renderFarmConf,
  renderIdlePool,
  renderPage,
  renderPool,
  renderSiteMap,
  siteLookupEntries,
  renderSiteServer,
  renderTlsFiles,
  siteMapFile,
  siteServerFile,
  spliceMapShard,
  legacySiteMapFile,
  MAP_SHARDS,
  mapShardFile,
  mapShardOf,
  renderMapShard,
  mapShardBlocks,
  TLS_RENDERED,
  tlsDir,
  type FrontLayout,
  type SiteFront,
} from '../domain/front';
import { hostFile, isLookupFile, lookupScriptFile, lookupSiteOf, parseSiteHosts, renderHostFile, renderLookupScript, renderSiteHosts, siteHostsFile } from '../domain/front-lookup';
import { fpmGroupFileLimit, fpmGroupName, renderFpmGroupConf } from '../domain/fpm-groups';
import { readScript, SCRIPT_FILES } from '../platforms/scripts';
import { readText, writeChecked, type FileChange } from './changes';
import { accepts, installedPhpVersions, limitFor, nginxReload, NginxRefusedError, nginxTest, phpFpmReload, phpFpmTest } from './services';
import { fpmGroupCount, fpmGroupFor, fpmGroupsDir, fpmGroupsOf, fpmGroupsPresent, phpFpmPaths, type FpmGroup } from './settings';
import { config } from '../config';
import { translatedError } from '../i18n/errors';

export const MAINTENANCE_TEXT_KEY = 'front.maintenanceText';

export const bootstrapFile = (layout: FrontLayout) => path.join(layout.bootstrapDir, 'spip-bootstrap.php');
/** A site's pool file in a master's pool.d/ (by default the one its Unix user's group is). */
export const poolFile = (version: string, unixUser: string, group: FpmGroup = fpmGroupFor(version, unixUser)) => path.join(group.pools, `${poolName(unixUser)}.conf`);

/** Every installed PHP version whose PHP-FPM folder (or Mutu's groups of it) exists: where a site's pool may be, or must not be. */
export function fpmVersions(): string[] {
  return installedPhpVersions().filter((v) => fs.existsSync(phpFpmPaths(v).pools) || fs.existsSync(fpmGroupsDir(v)));
}

/** Where a group's master writes its pid and its log (Mutu's groups only: a version's own master has Debian's). */
export const fpmGroupPidFile = (g: FpmGroup) => path.join(config().front.runDir, `php${g.version}-fpm-${fpmGroupName(g.index)}.pid`);
export const fpmGroupLogFile = (g: FpmGroup) => path.join(config().dataDir, 'logs', `php${g.version}-fpm-${fpmGroupName(g.index)}.log`);
const idlePoolFile = (g: FpmGroup) => path.join(g.pools, 'mutu-idle.conf');

/** Each of Mutu's groups of a version: its php-fpm.conf and its idle pool (a master refuses to start without a pool). */
function groupFiles(layout: FrontLayout, version: string, sites: number): FileChange[] {
  if (fpmGroupCount() === 1) return [{ file: idlePoolFile(fpmGroupsOf(version)[0]!), content: renderIdlePool(layout) }];
  return fpmGroupsOf(version).flatMap((g) => {
    fs.mkdirSync(path.dirname(fpmGroupLogFile(g)), { recursive: true, mode: 0o700 });
    const conf = renderFpmGroupConf({ version, index: g.index, groups: fpmGroupCount(), pidFile: fpmGroupPidFile(g), errorLog: fpmGroupLogFile(g), rlimitFiles: fpmGroupFileLimit(sites, fpmGroupCount()), poolsDir: g.pools });
    return [
      { file: g.conf, content: conf },
      { file: idlePoolFile(g), content: renderIdlePool(layout, `idle-${version}-${fpmGroupName(g.index)}.sock`) },
    ];
  });
}

export function renderSitePool(layout: FrontLayout, front: SiteFront): string {
  return renderPool(layout, front, { bootstrap: front.profile === 'spip' ? bootstrapFile(layout) : undefined });
}

/**
 * The files of one site: its map lines, what the HTTPS server reads of it once it has a
 * certificate (its names, its chain and key; the PEM files themselves are written by lib/tls),
 * and its pool, in its PHP version's folder and in no other (null: no such file).
 */
export function siteFiles(layout: FrontLayout, host: string, front: SiteFront | null, unixUser: string | null): FileChange[] {
  if (layout.lookup === 'files') return [...siteOwnFiles(layout, host, front, unixUser), ...siteLookupFiles(layout, host, front)];
  const shard = siteMapFile(layout, host);
  return [
    // Its own lines spliced into its shard as it is on disk (the front's lock is held): the other sites' stay as they are.
    { file: shard, content: spliceMapShard(readText(shard), host, front ? renderSiteMap(layout, front) : null) },
    { file: legacySiteMapFile(layout, host), content: null },
    ...siteOwnFiles(layout, host, front, unixUser),
  ];
}

/**
 * A site's hosts' files (files lookup), in the order they are written: its list of hosts first
 * when it gains one (a change cut short, or undone, then still finds every file it may have
 * written), its hosts' files, the files of hosts it no longer has (an alias removed, the site
 * gone), then its list as it now is. A host's file now routing to another site is left alone.
 */
export function siteLookupFiles(layout: FrontLayout, host: string, front: SiteFront | null): FileChange[] {
  const entries = front ? siteLookupEntries(layout, front) : [];
  const list = siteHostsFile(layout, host);
  const listed = readText(list);
  const now = entries.map(([h]) => h);
  const old = [...new Set([...parseSiteHosts(listed), host])];
  const gone = old.filter((h) => !now.includes(h) && (h === host || lookupSiteOf(readText(hostFile(layout, h))) === host));
  const out: FileChange[] = [];
  let onDisk = listed;
  if (now.some((h) => !parseSiteHosts(listed).includes(h))) {
    onDisk = renderSiteHosts(host, [...now, ...parseSiteHosts(listed).filter((h) => !now.includes(h))]);
    out.push({ file: list, content: onDisk });
  }
  for (const [h, value] of entries) out.push({ file: hostFile(layout, h), content: renderHostFile(value) });
  for (const h of gone) out.push({ file: hostFile(layout, h), content: null });
  const last = now.length ? renderSiteHosts(host, now) : null;
  if (last !== onDisk) out.push({ file: list, content: last });
  return out;
}

/** Every file of the files lookup for these sites (host -> its hosts' entries): hosts' files and lists. */
export function lookupFilesOf(layout: FrontLayout, entries: Map<string, [string, string][]>): FileChange[] {
  const out: FileChange[] = [];
  for (const [site, list] of entries) {
    out.push({ file: siteHostsFile(layout, site), content: renderSiteHosts(site, list.map(([h]) => h)) });
    for (const [h, value] of list) out.push({ file: hostFile(layout, h), content: renderHostFile(value) });
  }
  return out;
}

/** A site's lines in its shard of the map, as on disk (undefined: the map has none). */
export const siteMapLines = (layout: FrontLayout, host: string) => mapShardBlocks(readText(siteMapFile(layout, host)) ?? '').get(host);

/** The map's shards for these sites' blocks (host -> renderSiteMap), every shard: null for one with no site. */
export function mapShardFiles(layout: FrontLayout, blocks: Map<string, string>): FileChange[] {
  const byShard = Array.from({ length: MAP_SHARDS }, () => new Map<string, string>());
  for (const [host, block] of blocks) byShard[mapShardOf(host)]!.set(host, block);
  return byShard.map((b, i) => ({ file: mapShardFile(layout, i), content: renderMapShard(b) }));
}

/** A site's files besides its map lines: what the HTTPS server reads of it, and its pool. */
export function siteOwnFiles(layout: FrontLayout, host: string, front: SiteFront | null, unixUser: string | null): FileChange[] {
  const tls = front ? renderTlsFiles(layout, front) : null;
  const out: FileChange[] = [
    // Root's only: pem.map holds the key.
    ...TLS_RENDERED.map((name) => ({ file: path.join(tlsDir(layout, host), name), content: tls?.[name] ?? null, mode: 0o600 })),
  ];
  if (unixUser) {
    for (const v of fpmVersions()) {
      const own = fpmGroupFor(v, unixUser);
      // Also none in the version's other groups (left from another number of groups): two masters on one socket.
      const groups = fpmGroupsPresent(v);
      if (!groups.some((g) => g.index === own.index)) groups.push(own);
      for (const g of groups) out.push({ file: poolFile(v, unixUser, g), content: front && front.phpVersion === v && g.index === own.index ? renderSitePool(layout, front) : null });
    }
  }
  return out;
}

/** The farm-wide files: the server, its pages and parameters, the SPIP bootstrap, an idle pool per PHP-FPM master (and Mutu's groups' php-fpm.conf). */
export async function farmFiles(layout: FrontLayout): Promise<FileChange[]> {
  const maintenance = (await db.setting.findUnique({ where: { key: MAINTENANCE_TEXT_KEY } }))?.value;
  const sites = fpmGroupCount() > 1 ? await db.site.count() : 0;
  return [
    { file: farmConfFile(layout), content: renderFarmConf(layout) },
    { file: siteServerFile(layout), content: renderSiteServer(layout) },
    { file: path.join(layout.nginxDir, 'fastcgi_params'), content: FASTCGI_PARAMS },
    { file: lookupScriptFile(layout), content: layout.lookup === 'files' ? renderLookupScript(layout) : null },
    { file: path.join(layout.nginxDir, 'pages', '404.html'), content: renderPage('404') },
    { file: path.join(layout.nginxDir, 'pages', '503.html'), content: renderPage('503', maintenance) },
    // Mutu's PHP for SPIP platforms, where every site's user can read it (pools, commands).
    ...SCRIPT_FILES.map((name) => ({ file: path.join(layout.bootstrapDir, name), content: readScript(name) })),
    ...fpmVersions().flatMap((v) => groupFiles(layout, v, sites)),
  ];
}

const touches = (changed: string[], dir: string) => changed.some((f) => f.startsWith(dir + path.sep));
/** nginx's own files among these (the files lookup's are read per request: no check, no reload). */
const nginxTouched = (layout: FrontLayout, changed: string[]) => touches(changed.filter((f) => !isLookupFile(layout, f)), layout.nginxDir);
/** A master's files: its php-fpm.conf and its pools (a version's own folder also holds Mutu's groups: not its). */
const groupTouched = (changed: string[], g: FpmGroup) => changed.includes(g.conf) || touches(changed, g.pools);
const changedGroups = (changed: string[]) => fpmVersions().flatMap((v) => fpmGroupsPresent(v)).filter((g) => groupTouched(changed, g));

/** nginx -t when nginx's files changed, php-fpm -t for each PHP-FPM master (version or group) whose files changed: its own configuration only. */
export async function checkChanged(layout: FrontLayout, changed: string[]): Promise<void> {
  if (nginxTouched(layout, changed)) await nginxTest();
  for (const g of changedGroups(changed)) await phpFpmTest(g);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A pool moving to another master (after the number of groups changed) keeps its socket
 * path. A master that drops a pool unlinks its socket once it has re-read its configuration:
 * were the new master to bind the path first, the old one would then take the site's socket
 * away. So, before `changes` are written, the pools they move are taken out of their old
 * masters (checked, reloaded) until those have let go of their sockets; the caller then
 * writes the new pools as any other. The site's PHP is unanswered between the two (seconds).
 * Safe to retry: a pool found in no group is simply written again.
 */
export async function releaseMovedPools(layout: FrontLayout, changes: FileChange[]): Promise<string[]> {
  const out: FileChange[] = [];
  for (const c of changes) {
    const user = c.content !== null ? /^mutu-(.+)\.conf$/.exec(path.basename(c.file))?.[1] : undefined;
    if (!user || user === 'idle' || fs.existsSync(c.file)) continue;
    for (const g of fpmVersions().flatMap((v) => fpmGroupsPresent(v))) {
      const old = path.join(g.pools, path.basename(c.file));
      if (old !== c.file && fs.existsSync(old) && !out.some((o) => o.file === old)) out.push({ file: old, content: null });
    }
  }
  if (!out.length) return [];
  const changed = await writeChecked(out, (c) => checkChanged(layout, c));
  const reloaded = await reloadChanged(layout, changed);
  const until = Date.now() + 30_000 + limitFor(0, changed.length, 100);
  for (const f of changed) {
    const socket = path.join(layout.runDir, `${/^mutu-(.+)\.conf$/.exec(path.basename(f))![1]}.sock`);
    while (fs.existsSync(socket) && (await accepts(socket))) {
      if (Date.now() > until) throw translatedError((m) => new Error(m), 'serviceErrors.frontFpmSocketHeld', { socket });
      await sleep(50);
    }
  }
  return reloaded;
}

/**
 * Graceful reloads of the servers whose files changed, each PHP-FPM master on its own (the
 * other groups are not touched); waits for the sockets of new pools (`newSockets`, by the
 * master's label). Every such server is signalled even when another's reload failed (PHP-FPM
 * slow to open a new pool): a retry finds the files already written and would reload
 * nothing. Then the first failure is thrown.
 */
export async function reloadChanged(layout: FrontLayout, changed: string[], newSockets = new Map<string, string[]>()): Promise<string[]> {
  const reloaded: string[] = [];
  const failures: unknown[] = [];
  const reload = async (name: string, run: () => Promise<'reloaded' | 'not running'>) => {
    try {
      if ((await run()) === 'reloaded') reloaded.push(name);
    } catch (err) {
      failures.push(err);
    }
  };
  for (const g of changedGroups(changed)) {
    // Pools it gains (a new site, or one moved from another group): their sockets are awaited.
    const gained: string[] = [];
    for (const f of changed) {
      const user = touches([f], g.pools) ? /^mutu-(.+)\.conf$/.exec(path.basename(f))?.[1] : undefined;
      const socket = user && user !== 'idle' && fs.existsSync(f) ? path.join(layout.runDir, `${user}.sock`) : undefined;
      // No socket file yet: a pool it did not have. (Not connecting to the others: an ondemand pool would start a worker.)
      if (socket && !fs.existsSync(socket)) gained.push(socket);
    }
    const awaited = newSockets.get(g.label) ?? [];
    await reload(g.label, () => phpFpmReload(g, awaited, gained.filter((x) => !awaited.includes(x))));
  }
  if (nginxTouched(layout, changed)) await reload('nginx', nginxReload);
  // nginx refusing its new configuration comes first: the change is then put back (lib/front/transaction).
  if (failures.length) throw failures.find((e) => e instanceof NginxRefusedError) ?? failures[0];
  return reloaded;
}
