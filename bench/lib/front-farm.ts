import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Platform } from '@prisma/client';
import { config } from '../../lib/config';
import { db } from '../../lib/db/client';
import { renderSiteMap, type FrontLayout, type SiteFront } from '../../lib/domain/front';
import { PROFILES } from '../../lib/domain/profiles';
import { siteDir } from '../../lib/farm/paths';
import { mapShardFiles, siteOwnFiles } from '../../lib/front/files';
import { SITE_RECORD_INCLUDE, siteFrontOf, type SiteRecord } from '../../lib/front/site-front';
import { addPlatform } from '../../lib/platforms/service';

const actor = { source: 'cli' as const, ip: 'cli', email: 'bench' };
const BATCH = 500;

/** The bench's hosts and pool names carry the run's tag: nothing else on the machine matches. */
export const benchHost = (tag: string, i: number) => `site-${String(i).padStart(5, '0')}.${tag}.bench.example.org`;
export const newHost = (tag: string, i: number) => `new-${i}.${tag}.bench.example.org`;
export const fillerUser = (tag: string, i: number) => `mb${tag}${String(i).padStart(5, '0')}`;
/** Accounts Mutu made during the run: `Mutu site <host>` with one of the run's hosts. */
export const isRunAccountComment = (tag: string, comment: string) => comment.startsWith('Mutu site ') && comment.endsWith(`.${tag}.bench.example.org`);

/**
 * A SPIP platform whose whole code is an index.php printing the site its pool serves: a
 * request that reaches the right site's PHP answers that site's host.
 */
export async function benchPlatform(): Promise<Platform> {
  const codePath = path.join(config().farmRoot, 'platforms', 'spip-bench');
  fs.mkdirSync(codePath, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(codePath, 'index.php'), "<?php\nheader('Content-Type: text/plain');\necho getenv('MUTU_HOST');\n", { mode: 0o644 });
  return addPlatform(actor, { name: 'spip-bench', profile: 'spip', path: codePath, version: '4.3' });
}

/** N active sites with their `www.` alias, straight into the registry (no jobs, no folders). */
export async function fillRegistry(platform: Platform, tag: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const sites = Array.from({ length: Math.min(BATCH, count - start) }, (_, j) => {
      const i = start + j;
      return { id: crypto.randomUUID(), host: benchHost(tag, i), status: 'active' as const, platformId: platform.id, unixUser: fillerUser(tag, i) };
    });
    await db.$transaction([
      db.site.createMany({ data: sites }),
      db.siteAlias.createMany({ data: sites.map((s) => ({ host: `www.${s.host}`, siteId: s.id, redirect: true })) }),
    ]);
  }
}

export function loadSites(): Promise<SiteRecord[]> {
  return db.site.findMany({ include: SITE_RECORD_INCLUDE, orderBy: { host: 'asc' } });
}

/**
 * A pool as Mutu writes it, but run by the web server's user: the sites of the bench have no
 * Unix user of their own (a uid changes nothing to PHP-FPM's memory or parsing).
 */
export const runAs = (pool: string, user: string) => pool.replace(/^user = .*$/m, `user = ${user}`).replace(/^group = .*$/m, `group = ${user}`);

/**
 * Mutu's own files of every site (its map lines and its pool, rendered by lib/front), written
 * straight into the front's folders as `mutu front sync` would leave them. Pools run as the
 * web user, but those of `ownUser` sites (whose Unix user exists). Returns what each site is
 * for the front, and the bytes of the pools and maps.
 */
export function writeSiteFiles(layout: FrontLayout, sites: SiteRecord[], ownUser: (host: string) => boolean): { fronts: SiteFront[]; poolBytes: number; mapBytes: number } {
  const fronts: SiteFront[] = [];
  let poolBytes = 0;
  let mapBytes = 0;
  const blocks = new Map<string, string>();
  for (const site of sites) {
    const front = siteFrontOf(site, site.unixUser!);
    fronts.push(front);
    blocks.set(site.host, renderSiteMap(layout, front));
    for (const f of siteOwnFiles(layout, site.host, front, site.unixUser)) {
      if (f.content === null) continue;
      const pool = f.file.endsWith('.conf');
      const content = pool && !ownUser(site.host) ? runAs(f.content, layout.webUser) : f.content;
      fs.writeFileSync(f.file, content, { mode: 0o644 });
      if (pool) poolBytes += content.length;
    }
  }
  for (const f of mapShardFiles(layout, blocks)) {
    if (f.content === null) continue;
    fs.writeFileSync(f.file, f.content, { mode: 0o644 });
    mapBytes += f.content.length;
  }
  return { fronts, poolBytes, mapBytes };
}

/** A new site's row and folders, as the provisioning job leaves them before its front step. */
export async function addSiteRow(platform: Platform, host: string): Promise<void> {
  await db.site.create({ data: { host, status: 'active', platformId: platform.id, aliases: { create: { host: `www.${host}`, redirect: true } } } });
  const dir = siteDir(config().farmRoot, host);
  for (const f of PROFILES.spip.folders) fs.mkdirSync(path.join(dir, f), { recursive: true, mode: 0o750 });
}
