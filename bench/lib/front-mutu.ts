import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Platform } from '@prisma/client';
import { PHP_VERSION, waitUntilAccepts, type FrontProcesses } from '../../tests/helpers/front-processes';
import { config } from '../../lib/config';
import { db } from '../../lib/db/client';
import { socketPath, type SiteFront } from '../../lib/domain/front';
import { PROFILES } from '../../lib/domain/profiles';
import { ensurePlatformLink, releaseSiteAccount, serveSite } from '../../lib/front/apply';
import { poolFile, siteFiles, siteMapLines } from '../../lib/front/files';
import { withFrontLock } from '../../lib/front/lock';
import { applyOwnership, checkCodeReadable, openFarmPath, webGroupId } from '../../lib/front/ownership';
import { siteAccount } from '../../lib/front/reserve';
import { nginxReload } from '../../lib/front/services';
import { frontLayout } from '../../lib/front/settings';
import { loadSiteRecord, siteFrontOf } from '../../lib/front/site-front';
import { fpmReadyAfter, logSize } from './front-fpm';
import { addSiteRow, newHost } from './front-farm';
import { checkAnswer, nginxChange, type ChangeSample } from './front-nginx';
import { mapChange } from './front-shapes';

/** A call of Mutu's serveSite(): its time and what it says it did, or its error. */
export interface ServeSample {
  ms: number;
  changed: number;
  reloaded: string[];
  error?: string;
}

/** A site created or destroyed: serveSite(), then how long until the farm really is in its new state. */
export interface PoolChange extends ServeSample {
  /** from the call to: the site answering from its own PHP (created), or PHP-FPM's reload over (destroyed) */
  settledMs: number;
  /** after a failed call: what serveSite() called again did */
  retry?: ServeSample;
  /** the site did not answer after the retry: the bench reloaded nginx itself */
  nginxReloadedByBench?: boolean;
}

export interface MutuFigures {
  /** disable or enable: the map file only */
  toggles: ServeSample[];
  /** between them, the same change of another site made by the bench (write, nginx -t, reload) */
  rawToggles: ChangeSample[];
  /** serveSite() again with nothing to change: Mutu's own work without writing, checking or reloading */
  noop: ServeSample[];
  /** the parts of that work, each timed alone on the same site (means) */
  pieces: { label: string; ms: number }[];
  created: PoolChange[];
  destroyed: PoolChange[];
  wrong: string[];
}

/** serveSite() timed, its outcome or its error. */
export async function serve(host: string, opts: { absent?: boolean; keepOwners?: boolean } = {}): Promise<ServeSample> {
  const t0 = performance.now();
  try {
    const o = await serveSite(host, opts);
    return { ms: performance.now() - t0, changed: o.changed.length, reloaded: o.reloaded };
  } catch (err) {
    return { ms: performance.now() - t0, changed: NaN, reloaded: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * What serveSite() does before it writes anything, piece by piece (the same calls, in the
 * same order, as lib/front/apply.ts), each timed `runs` times on a served site.
 */
async function pieces(host: string, runs: number): Promise<{ label: string; ms: number }[]> {
  const layout = frontLayout();
  const site = (await loadSiteRecord(host))!;
  const account = await siteAccount(site);
  const front = siteFrontOf(site, account.name);
  const profile = PROFILES[front.profile];
  const steps: [string, () => Promise<unknown> | unknown][] = [
    ['the front lock (taken and let go)', () => withFrontLock(layout.nginxDir, async () => {})],
    ['the site read from the registry', () => loadSiteRecord(host)],
    ['its Unix user looked up (/etc/passwd)', () => siteAccount(site)],
    ["what the front serves for it (PHP versions found on the PATH)", () => siteFrontOf(site, account.name)],
    ['the farm path opened, the code checked readable', () => (openFarmPath(layout.farmRoot, [config().dataDir, layout.farmRoot]), checkCodeReadable(front.codePath))],
    ["its folders' owners and modes (applyOwnership, fs calls; not run by disable, enable, alias, move: keepOwners)", () =>
      applyOwnership(front.siteDir, profile, { site: account, webGid: webGroupId(layout.webUser) }, { deep: false, connectionFile: front.connectionFile })],
    ["SPIP's link in the platform checked", () => ensurePlatformLink(layout, front.codePath)],
    ['its files rendered (map, pool)', () => siteFiles(layout, host, front, account.name)],
  ];
  const out: { label: string; ms: number }[] = [];
  for (const [label, run] of steps) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await run();
    out.push({ label, ms: (performance.now() - t0) / runs });
  }
  return out;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not settled within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/**
 * Mutu's own path on the farm: one site disabled and enabled again `changes` times (after
 * `warmup`), then `newSites` sites created (Unix user, pool, map) and destroyed. A call that
 * fails is recorded with its error and retried once, as a job would be; the bench then waits
 * for PHP-FPM to open the site's pool and, if the site still does not answer, reloads nginx
 * itself before going on.
 */
export async function measureMutu(o: {
  procs: FrontProcesses;
  platform: Platform;
  tag: string;
  toggleHost: string;
  /** another served site, whose map file the bench rewrites itself between Mutu's changes */
  raw: SiteFront;
  warmup: number;
  changes: number;
  newSites: number;
  signal: AbortSignal;
  say: (line: string) => void;
}): Promise<MutuFigures> {
  const wrong: string[] = [];
  const toggles: ServeSample[] = [];
  const noop: ServeSample[] = [];
  const rawToggles: ChangeSample[] = [];
  const layout = frontLayout();
  const answers = async (host: string) => {
    const r = await o.procs.get(host, '/', 120_000).catch(() => ({ status: 0, body: '' }));
    return r.status === 200 && r.body.trim() === host;
  };
  for (let k = 0; k < o.warmup + o.changes; k++) {
    o.signal.throwIfAborted();
    const closed = k % 2 === 0;
    const { change, again } = await toggleSite(o.procs, o.toggleHost, closed, 'nginx', wrong);
    if (k >= o.warmup) {
      toggles.push(change);
      noop.push(again);
    }
  }
  // The same changes without Mutu, on the same nginx just after: another site's map lines,
  // written and checked by \`nginx -t\` as a whole. Not between Mutu's: a file changed behind
  // Mutu's back makes its next check a whole one (lib/front/nginx-check).
  for (let k = 0; k < o.warmup + o.changes; k++) {
    const closed = k % 2 === 0;
    const raw = await nginxChange(...mapChange(layout, { ...o.raw, state: closed ? 'closed' : 'serve' }));
    await checkAnswer(o.procs, o.raw.host, closed ? 'closed' : 'serve', wrong);
    if (k >= o.warmup) rawToggles.push(raw);
  }
  // An odd number of changes leaves that other site closed: open it again for what follows.
  if ((o.warmup + o.changes) % 2) await nginxChange(...mapChange(layout, o.raw));
  const parts = await pieces(o.toggleHost, o.changes);
  o.say(`  Mutu: ${o.changes} disables/enables done`);

  const created: PoolChange[] = [];
  const destroyed: PoolChange[] = [];
  const served: string[] = [];
  for (const host of Array.from({ length: o.newSites }, (_, j) => newHost(o.tag, j))) {
    o.signal.throwIfAborted();
    await addSiteRow(o.platform, host);
    const t0 = performance.now();
    const made: PoolChange = { ...(await serve(host)), settledMs: NaN };
    if (made.error) {
      o.say(`  Mutu: serving ${host} failed after ${(made.ms / 1000).toFixed(1)} s: ${made.error.split('\n')[0]}`);
      // What a job's retry would do: serveSite() again.
      made.retry = await serve(host);
    }
    const { unixUser } = await db.site.findUniqueOrThrow({ where: { host } });
    // A failed check puts the files back: then the site is not served at all.
    if (unixUser && fs.existsSync(poolFile(PHP_VERSION, unixUser))) {
      await waitUntilAccepts(socketPath(frontLayout(), unixUser), 900_000);
      if (!(await answers(host))) {
        await nginxReload();
        made.nginxReloadedByBench = true;
      }
      await until(() => answers(host), 120_000);
      made.settledMs = performance.now() - t0;
      served.push(host);
      noop.push(await serve(host));
      o.say(`  Mutu: ${host} answers ${(made.settledMs / 1000).toFixed(1)} s after serveSite() was called`);
    } else {
      o.say(`  Mutu: ${host} is not served (its files were put back)`);
    }
    created.push(made);
  }
  for (const host of served) {
    o.signal.throwIfAborted();
    const logBefore = logSize(o.procs);
    const t0 = performance.now();
    const gone: PoolChange = { ...(await serve(host, { absent: true })), settledMs: NaN };
    if (gone.error) {
      o.say(`  Mutu: destroying ${host} failed after ${(gone.ms / 1000).toFixed(1)} s: ${gone.error.split('\n')[0]}`);
      gone.retry = await serve(host, { absent: true });
    }
    if (!siteMapLines(frontLayout(), host)) {
      // serveSite() does not wait for PHP-FPM when no pool is added: its reload goes on after.
      await fpmReadyAfter(o.procs, logBefore);
      gone.settledMs = performance.now() - t0;
      await checkAnswer(o.procs, host, 'gone', wrong);
    }
    destroyed.push(gone);
    o.say(`  Mutu: ${host} taken out of the front, PHP-FPM's reload over ${(gone.settledMs / 1000).toFixed(1)} s after the call`);
  }
  // Each new site's Unix user and row go, served or not (the end of a destroy job).
  for (const host of Array.from({ length: o.newSites }, (_, j) => newHost(o.tag, j))) {
    const site = await db.site.findUnique({ where: { host } });
    if (!site) continue;
    if (!served.includes(host) || !siteMapLines(frontLayout(), host)) await releaseSiteAccount(host, site.unixUser);
    await db.site.delete({ where: { host } });
  }
  return { toggles, rawToggles, noop, pieces: parts, created, destroyed, wrong };
}

/**
 * Disables (`closed`) or enables a site as setSiteEnabled() does (its row, then serveSite()
 * leaving the folder's owners alone), checks the answer and that the change wrote one file and
 * reloaded `reloads` ('' for none), then serves it again unchanged (which must write nothing).
 */
export async function toggleSite(procs: FrontProcesses, host: string, closed: boolean, reloads: string, wrong: string[]): Promise<{ change: ServeSample; again: ServeSample }> {
  await db.site.update({ where: { host }, data: closed ? { status: 'disabled', disabledAt: new Date() } : { status: 'active', disabledAt: null } });
  const change = await serve(host, { keepOwners: true });
  if (change.error) throw new Error(`disabling or enabling ${host} failed: ${change.error}`);
  await checkAnswer(procs, host, closed ? 'closed' : 'serve', wrong);
  const again = await serve(host, { keepOwners: true });
  if (change.changed !== 1 || change.reloaded.join() !== reloads) wrong.push(`${host}: a toggle wrote ${change.changed} files and reloaded ${change.reloaded.join(', ') || 'nothing'}`);
  if (again.changed) wrong.push(`${host}: serving it again unchanged wrote ${again.changed} files`);
  return { change, again };
}
