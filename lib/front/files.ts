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
import { readScript, SCRIPT_FILES } from '../platforms/scripts';
import { readText, type FileChange } from './changes';
import { installedPhpVersions, nginxReload, NginxRefusedError, nginxTest, phpFpmReload, phpFpmTest } from './services';
import { phpFpmPaths } from './settings';

export const MAINTENANCE_TEXT_KEY = 'front.maintenanceText';

export const bootstrapFile = (layout: FrontLayout) => path.join(layout.bootstrapDir, 'spip-bootstrap.php');
export const poolFile = (version: string, unixUser: string) => path.join(phpFpmPaths(version).pools, `${poolName(unixUser)}.conf`);

/** Every installed PHP version whose PHP-FPM folder exists: where a site's pool may be, or must not be. */
export function fpmVersions(): string[] {
  return installedPhpVersions().filter((v) => fs.existsSync(phpFpmPaths(v).pools));
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
  const shard = siteMapFile(layout, host);
  return [
    // Its own lines spliced into its shard as it is on disk (the front's lock is held): the other sites' stay as they are.
    { file: shard, content: spliceMapShard(readText(shard), host, front ? renderSiteMap(layout, front) : null) },
    { file: legacySiteMapFile(layout, host), content: null },
    ...siteOwnFiles(layout, host, front, unixUser),
  ];
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
    for (const v of fpmVersions()) out.push({ file: poolFile(v, unixUser), content: front && front.phpVersion === v ? renderSitePool(layout, front) : null });
  }
  return out;
}

/** The farm-wide files: the server, its pages and parameters, the SPIP bootstrap, an idle pool per PHP version. */
export async function farmFiles(layout: FrontLayout): Promise<FileChange[]> {
  const maintenance = (await db.setting.findUnique({ where: { key: MAINTENANCE_TEXT_KEY } }))?.value;
  return [
    { file: farmConfFile(layout), content: renderFarmConf(layout) },
    { file: siteServerFile(layout), content: renderSiteServer(layout) },
    { file: path.join(layout.nginxDir, 'fastcgi_params'), content: FASTCGI_PARAMS },
    { file: path.join(layout.nginxDir, 'pages', '404.html'), content: renderPage('404') },
    { file: path.join(layout.nginxDir, 'pages', '503.html'), content: renderPage('503', maintenance) },
    // Mutu's PHP for SPIP platforms, where every site's user can read it (pools, commands).
    ...SCRIPT_FILES.map((name) => ({ file: path.join(layout.bootstrapDir, name), content: readScript(name) })),
    ...fpmVersions().map((v) => ({ file: path.join(phpFpmPaths(v).pools, 'mutu-idle.conf'), content: renderIdlePool(layout) })),
  ];
}

const touches = (changed: string[], dir: string) => changed.some((f) => f.startsWith(dir + path.sep));

/** nginx -t when nginx's files changed, php-fpm -t for each PHP version whose pools changed. */
export async function checkChanged(layout: FrontLayout, changed: string[]): Promise<void> {
  if (touches(changed, layout.nginxDir)) await nginxTest();
  for (const v of fpmVersions()) if (touches(changed, phpFpmPaths(v).dir)) await phpFpmTest(v);
}

/**
 * Graceful reloads of the servers whose files changed; waits for the sockets of new pools.
 * Every such server is signalled even when another's reload failed (PHP-FPM slow to open a
 * new pool): a retry finds the files already written and would reload nothing. Then the
 * first failure is thrown.
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
  for (const v of fpmVersions()) {
    if (touches(changed, phpFpmPaths(v).dir)) await reload(`PHP-FPM ${v}`, () => phpFpmReload(v, newSockets.get(v) ?? []));
  }
  if (touches(changed, layout.nginxDir)) await reload('nginx', nginxReload);
  // nginx refusing its new configuration comes first: the change is then put back (lib/front/transaction).
  if (failures.length) throw failures.find((e) => e instanceof NginxRefusedError) ?? failures[0];
  return reloaded;
}
