import fs from 'node:fs';
import path from 'node:path';
import { FrontError, socketPath, tlsFiles, type FrontLayout, type SiteFront } from '../domain/front';
import { hostsDir, isLookupFile } from '../domain/front-lookup';
import { translatedError } from '../i18n/errors';
import { PROFILES } from '../domain/profiles';
import { releaseMovedPools, siteFiles } from './files';
import { withFrontLock } from './lock';
import { applyOwnership, checkCodeReadable, openFarmPath, webGroupId } from './ownership';
import { config } from '../config';
import { siteAccount } from './reserve';
import { fpmGroupFor, frontIsSetUp, frontLayout } from './settings';
import { isServed, loadSiteRecord, siteFrontOf } from './site-front';
import { writeCheckReload } from './transaction';
import { isRoot, removeSiteAccount } from './unix-users';
import { formatWorkerLine } from '../domain/job-log-lines';

/** What a change of the front did, for the job's log. */
export interface FrontOutcome {
  /** false when no front is set up: nothing was written */
  frontSetUp: boolean;
  changed: string[];
  reloaded: string[];
  /** of `changed`, the files lookup's (hosts' files and the site's list of them): read by nginx per request, nothing to reload */
  hostFiles?: number;
  /** of those, the hosts' own files */
  hosts?: number;
}

/** SPIP finds its sites' folders under its own root: the platform gets one link, `sites`, to the farm's. */
export function ensurePlatformLink(layout: FrontLayout, codePath: string): void {
  const link = path.join(codePath, 'sites');
  const target = path.join(layout.farmRoot, 'sites');
  fs.mkdirSync(target, { recursive: true });
  const st = fs.lstatSync(link, { throwIfNoEntry: false });
  if (st && fs.realpathSync(link) === fs.realpathSync(target)) return;
  if (st) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontLinkTaken', { link, target });
  fs.symlinkSync(target, link);
}

export function needRoot(): void {
  if (!isRoot()) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNeedsRoot');
}

/**
 * Makes the front serve one site as the registry has it now: its Unix user, its folder's
 * owners, its map lines and its pool, each written beside then renamed, checked by nginx -t
 * and php-fpm -t, then applied by graceful reloads. A failed check puts every file back and
 * throws the tool's message; the farm keeps serving what it served. A site that is gone (or
 * `absent`) loses its map lines and pool. Idempotent: what already matches is not touched,
 * and nothing is reloaded when nothing changed (unless an earlier change's files never were:
 * the "reload pending" mark, lib/front/transaction). `deep` also sets the owners inside the
 * site's writable folders (after files were put there as root); `keepOwners` leaves the
 * folder alone, for changes of what is served only (disable, enable, aliases, moves).
 */
export async function serveSite(host: string, opts: { deep?: boolean; absent?: boolean; keepOwners?: boolean } = {}): Promise<FrontOutcome> {
  if (!frontIsSetUp()) return { frontSetUp: false, changed: [], reloaded: [] };
  needRoot();
  const layout = frontLayout();
  return withFrontLock(layout.nginxDir, async () => {
    const site = await loadSiteRecord(host);
    let front: SiteFront | null = null;
    const newSockets = new Map<string, string[]>();
    if (site && !opts.absent && isServed(site)) {
      const account = await siteAccount(site);
      front = siteFrontOf(site, account.name, layout);
      checkCodeReadable(front.codePath);
      if (!opts.keepOwners) {
        openFarmPath(layout.farmRoot, [config().dataDir, layout.farmRoot]);
        await applyOwnership(front.siteDir, PROFILES[front.profile], { site: account, webGid: webGroupId(layout.webUser) }, { deep: !!opts.deep, connectionFile: front.connectionFile });
      }
      if (front.profile === 'spip') ensurePlatformLink(layout, front.codePath);
      const socket = socketPath(layout, account.name);
      if (!fs.existsSync(socket)) newSockets.set(fpmGroupFor(front.phpVersion, account.name).label, [socket]);
    }
    fs.mkdirSync(layout.runDir, { recursive: true, mode: 0o755 });
    const files = siteFiles(layout, host, front, site?.unixUser ?? null);
    await releaseMovedPools(layout, files); // its pool in another group than its own (the number of groups changed)
    const { changed, reloaded } = await writeCheckReload(layout, files, { newSockets });
    // No longer served: its certificate and key go too (nginx no longer names them).
    if (!front) fs.rmSync(tlsFiles(layout, host).dir, { recursive: true, force: true });
    return { frontSetUp: true, changed, reloaded, hostFiles: changed.filter((f) => isLookupFile(layout, f)).length, hosts: changed.filter((f) => path.dirname(f) === hostsDir(layout)).length };
  });
}

/**
 * A site's own Unix user, before anything runs for it (its platform's commands run as that
 * user): reserved in the registry and made if needed, and given the site's folder (its
 * config and database files always; everything inside with `deep`: after a new site's
 * folders were made, or files were put there as root). Nothing when no front is set up
 * (the site is not served; commands run as Mutu's user).
 */
export async function prepareSiteUser(host: string, opts: { deep: boolean } = { deep: true }): Promise<string | null> {
  if (!frontIsSetUp()) return null;
  needRoot();
  const layout = frontLayout();
  return withFrontLock(layout.nginxDir, async () => {
    const site = await loadSiteRecord(host);
    if (!site) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNotInRegistry', { host });
    const account = await siteAccount(site);
    const front = siteFrontOf(site, account.name);
    openFarmPath(layout.farmRoot, [config().dataDir, layout.farmRoot]);
    await applyOwnership(front.siteDir, PROFILES[front.profile], { site: account, webGid: webGroupId(layout.webUser) }, { deep: opts.deep, connectionFile: front.connectionFile });
    if (front.profile === 'spip') ensurePlatformLink(layout, front.codePath);
    return account.name;
  });
}

/** The end of a site's Unix user, once its files are moved away (only Mutu's own account). */
export async function releaseSiteAccount(host: string, unixUser: string | null): Promise<boolean> {
  if (!unixUser || !isRoot()) return false;
  return removeSiteAccount(unixUser, host);
}

/**
 * The job log's lines for a change: what was written, checked and reloaded, then the hosts'
 * files (files lookup), which nginx reads at each request and need no reload.
 */
export function describeOutcome(o: FrontOutcome): string[] {
  if (!o.frontSetUp) return [formatWorkerLine('frontNone')];
  const reloaded = o.reloaded.join(' and ');
  if (!o.changed.length) return [o.reloaded.length ? formatWorkerLine('frontReloadedOnly', { reloaded }) : formatWorkerLine('frontUpToDate')];
  const hostFiles = o.hostFiles ?? 0;
  const others = o.changed.length - hostFiles;
  const lines: string[] = [];
  if (others > 0) {
    const one = others === 1;
    const count = String(others);
    lines.push(o.reloaded.length ? formatWorkerLine(one ? 'frontWrittenOneReloaded' : 'frontWrittenReloaded', { count, reloaded }) : formatWorkerLine(one ? 'frontWrittenOneStopped' : 'frontWrittenStopped', { count }));
  }
  const hosts = o.hosts ?? hostFiles;
  if (hostFiles > 0) lines.push(hosts === 1 ? formatWorkerLine('frontHostFile') : formatWorkerLine('frontHostFiles', { count: String(hosts) }));
  return lines;
}
