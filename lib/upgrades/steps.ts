import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { actorSchema } from '../domain/actor';
import { db } from '../db/client';
import { withDriver } from '../databases';
import { siteDbAccess, siteDbAccessFrom, type SiteDbAccess } from '../databases/site-access';
import { formatBytes } from '../domain/format';
import { SITE_STATUSES } from '../domain/site-list';
import { PROFILES } from '../domain/profiles';
import { engineRefusal } from '../domain/engines';
import { farmPaths, siteDir } from '../farm/paths';
import type { JobContext, JobStep } from '../jobs/types';
import { readOnce } from '../jobs/read-once';
import { probeFront } from '../sites/probe';
import { checkSiteHealth } from '../sites/site-health';
import { healthCheckPath } from '../domain/platform';
import { serveNow } from '../sites/serve-step';
import { setSiteRow } from '../sites/site-row-write';
import { runPlatformCommand } from '../platforms/run-command';
import { deleteSnapshot, restoreSnapshot, snapshotEstimate, takeSnapshot } from './snapshot';
import { formatWorkerLine } from '../domain/job-log-lines';
import { phrase, reasonOf, translatedError, type ServiceErrorKey } from '../i18n/errors';
import type { TranslationValue } from '../domain/errors';
import { lineWords } from '../i18n/job-words';

/** A refusal of the job's own checks, worded from the catalogue: the job's page says it in its reader's language. */
const stepError = (key: ServiceErrorKey, values: Record<string, TranslationValue> = {}) => translatedError((m) => new Error(m), key, values);

export const siteChangeParams = z.object({ siteId: z.string(), host: z.string(), actor: actorSchema });
export type SiteChangeParams = z.infer<typeof siteChangeParams>;

/** What the steps remember between them (saved in the job: it survives a crash). */
export const changeState = z.object({
  previousStatus: z.enum(SITE_STATUSES).optional(),
  oldPlatformId: z.string().optional(),
  targetPlatformId: z.string().optional(),
  /** the snapshot this job took of the site as it was */
  snapshotId: z.string().optional(),
  changeStarted: z.boolean().optional(),
  commandPid: z.number().optional(),
});
export type ChangeState = z.infer<typeof changeState>;

export type Ctx<P extends SiteChangeParams = SiteChangeParams> = JobContext<P>;
export const stateOf = (ctx: Ctx) => ctx.stateAs(changeState);

/** Sites in these states can be upgraded; their state is given back at the end. */
export const UPGRADABLE_STATUSES = ['active', 'disabled'];

/**
 * The site as the job found it, before its own steps changed it (status, platform): read once
 * per run of the job, by the preflight, and shared by the snapshot.
 */
export function siteAsFound(ctx: Ctx) {
  return readOnce(ctx, 'site', async () => {
    const site = await db.site.findUnique({ where: { id: ctx.params.siteId }, include: { platform: true, database: { include: { server: true } } } });
    if (!site) throw stepError('serviceErrors.siteGone', { host: ctx.params.host });
    // The platform it runs on now, read with it: the job's later look at it is this one.
    void readOnce(ctx, `platform:${site.platformId}`, async () => site.platform);
    return site;
  });
}

/** A platform the job names (where the site was, where it goes), read once per run of the job; null when gone. */
export function findPlatform(ctx: Ctx, id: string) {
  return readOnce(ctx, `platform:${id}`, () => db.platform.findUnique({ where: { id } }));
}

export async function platformOf(ctx: Ctx, id: string) {
  const platform = await findPlatform(ctx, id);
  if (!platform) throw stepError('serviceErrors.platformGone', { id });
  return platform;
}

/** How the site's database is reached (server, names, password), read once per run of the job. */
export function dbAccessOf(ctx: Ctx): Promise<SiteDbAccess> {
  return readOnce(ctx, 'db-access', async () => {
    const site = await siteAsFound(ctx);
    if (!site.database) throw stepError('serviceErrors.noDatabase', { host: site.host });
    return siteDbAccessFrom(site.database, site);
  });
}

/** Free bytes where snapshots go (the farm root when the folder does not exist yet). */
export async function freeBytes(): Promise<number> {
  const paths = farmPaths(config().farmRoot);
  const where = fs.existsSync(paths.snapshots) ? paths.snapshots : paths.root;
  fs.mkdirSync(where, { recursive: true });
  const s = await fs.promises.statfs(where);
  return s.bavail * s.bsize;
}

/**
 * Checks everything that can be checked before touching the site: its state, the target
 * platform, the database answering, and room for the snapshot (twice its estimate: the
 * dump is text, often larger than the tables).
 */
export async function preflight(ctx: Ctx, targetPlatformId: string, opts: { allowSamePlatform: boolean; allowFailed?: boolean }) {
  const site = await siteAsFound(ctx);
  const target = await findPlatform(ctx, targetPlatformId);
  if (!target) throw stepError('serviceErrors.targetPlatformGone');
  const allowed = opts.allowFailed ? [...UPGRADABLE_STATUSES, 'failed'] : UPGRADABLE_STATUSES;
  if (!allowed.includes(site.status)) throw stepError('serviceErrors.changeWrongStatus', { host: site.host, status: site.status, failedToo: opts.allowFailed ? 'yes' : 'no' });
  if (!opts.allowSamePlatform && site.platformId === target.id) throw stepError('serviceErrors.upgradeAlreadyOn', { host: site.host, platform: target.name });
  if (target.status !== 'active') throw stepError('serviceErrors.targetRetired', { name: target.name });
  if (target.profile !== site.platform.profile) throw stepError('serviceErrors.upgradeOtherProfile', { target: target.name, targetProfile: target.profile, host: site.host, profile: site.platform.profile });
  if (!fs.existsSync(target.codePath)) throw stepError('serviceErrors.platformFolderMissing', { name: target.name, path: target.codePath });
  if (!site.database) throw stepError('serviceErrors.noDatabase', { host: site.host });
  const rec = site.database;
  // An undo goes back to what the site ran on, whatever its engine; an upgrade never onto one its application cannot use.
  const refusal = opts.allowSamePlatform ? null : engineRefusal(target.profile, rec.server.engine);
  if (refusal) throw stepError('serviceErrors.upgradeDbCannotMove', { host: site.host, target: target.name, reason: refusal.words.reason });
  const profile = PROFILES[site.platform.profile];
  const sqliteFolder = path.join(siteDir(config().farmRoot, site.host), profile.sqliteFolder);
  let dbBytes = 0;
  try {
    // The server answering these is the reachability check: no ping of its own before them.
    dbBytes = await withDriver(rec.server, sqliteFolder, async (d) => {
      if (!rec.shared && !(await d.databaseExists(rec.name))) throw stepError('serviceErrors.dbMissing', { database: rec.name, server: rec.server.name });
      return d.sizeBytes({ database: rec.name, tablePrefix: rec.tablePrefix, shared: rec.shared });
    });
  } catch (err) {
    throw stepError('serviceErrors.dbUnreachable', { host: site.host, reason: reasonOf(err) });
  }
  const needed = 2 * (await snapshotEstimate(site.host, site.platform.profile, dbBytes));
  const free = await freeBytes();
  if (free < needed) throw stepError('serviceErrors.snapshotNoRoom', { needed: formatBytes(needed), free: formatBytes(free), dir: farmPaths(config().farmRoot).snapshots });
  // Nothing the preflight did needs undoing: what it found is on disk with the next step's record, before that step changes anything.
  ctx.saveWithNextStep({ previousStatus: site.status, oldPlatformId: site.platformId, targetPlatformId: target.id } satisfies ChangeState);
  await ctx.log(formatWorkerLine('preflight', { host: site.host, from: site.platform.name, to: target.name, dbSize: formatBytes(dbBytes), free: formatBytes(free), size: formatBytes(needed / 2) }));
  await ctx.progress(0.1);
}

export function snapshotStep(reason: 'upgrade' | 'undo'): JobStep<SiteChangeParams> {
  return {
    name: 'snapshot',
    async run(ctx) {
      const site = await siteAsFound(ctx);
      const snap = await takeSnapshot({ siteId: site.id, host: site.host, platform: site.platform, access: await dbAccessOf(ctx), jobId: ctx.job.id, reason, signal: ctx.signal });
      // On disk with the next step's record, before anything the snapshot guards is changed (a crash
      // before it leaves the snapshot unnamed, as a crash just after its row did).
      ctx.saveWithNextStep({ snapshotId: snap.id } satisfies ChangeState);
      await ctx.log(formatWorkerLine('snapshotTaken', { path: snap.path, size: formatBytes(snap.sizeBytes), date: snap.expiresAt.toISOString().slice(0, 10) }));
      await ctx.progress(0.3);
    },
    async undo(ctx) {
      const s = stateOf(ctx);
      // The site is back as the snapshot had it: the copy is worth nothing more.
      if (s.snapshotId) await deleteSnapshot(s.snapshotId);
      const hostDir = path.join(farmPaths(config().farmRoot).snapshots, ctx.params.host);
      for (const entry of fs.existsSync(hostDir) ? fs.readdirSync(hostDir) : []) {
        if (entry.endsWith('.partial')) await fs.promises.rm(path.join(hostDir, entry), { recursive: true, force: true });
      }
    },
  };
}

export const markUpgradingStep: JobStep<SiteChangeParams> = {
  name: 'mark upgrading',
  async run(ctx) {
    const s = stateOf(ctx);
    // A compare-and-set on the state the preflight saw.
    if (!(await setSiteRow(ctx.params.siteId, { status: 'upgrading' }, s.previousStatus))) throw stepError('serviceErrors.changedMeanwhile', { host: ctx.params.host });
  },
  async undo(ctx) {
    const s = stateOf(ctx);
    if (s.previousStatus) await db.site.updateMany({ where: { id: ctx.params.siteId, status: 'upgrading' }, data: { status: s.previousStatus } });
  },
};

/** The registry is the switch, and the front follows it: nginx's web root and the PHP pool become the target platform's. */
export const switchPlatformStep: JobStep<SiteChangeParams> = {
  name: 'switch platform',
  async run(ctx) {
    const s = stateOf(ctx);
    const target = await platformOf(ctx, s.targetPlatformId!);
    if (!(await setSiteRow(ctx.params.siteId, { platformId: target.id }))) throw stepError('serviceErrors.siteGone', { host: ctx.params.host });
    await ctx.log(formatWorkerLine('switchedTo', { platform: `${target.name}${target.version ? ` ${target.version}` : ''}`, path: target.codePath }));
    await serveNow(ctx);
    await purgeCaches(ctx, target.id);
    await ctx.progress(0.4);
  },
  async undo(ctx) {
    const s = stateOf(ctx);
    if (!s.oldPlatformId) return;
    await db.site.updateMany({ where: { id: ctx.params.siteId }, data: { platformId: s.oldPlatformId } });
    const old = await db.platform.findUnique({ where: { id: s.oldPlatformId }, select: { name: true } });
    await ctx.log(formatWorkerLine('switchedBack', { platform: old?.name ?? s.oldPlatformId }));
    await serveNow(ctx);
  },
};

/** Undo of a step that changed the database or config: back to this job's own snapshot. */
export async function restoreOwnSnapshot(ctx: Ctx) {
  const s = stateOf(ctx);
  if (!s.changeStarted || !s.snapshotId) return;
  const snap = await db.snapshot.findUnique({ where: { id: s.snapshotId }, include: { platform: { select: { profile: true } } } });
  if (!snap) throw stepError('serviceErrors.snapshotGoneNoRestore', { id: s.snapshotId });
  await restoreSnapshot(snap.path, ctx.params.siteId, ctx.params.host, snap.platform.profile);
  await ctx.log(formatWorkerLine('restoredFrom', { path: snap.path }));
  await serveNow(ctx); // what was put back is the site's again (owners of its config and database files)
  await purgeCaches(ctx, snap.platformId);
}

/**
 * The application's caches describe the state before a switch, a restore or an undo: the
 * platform's purge command (SPIP: tmp/meta_cache.php, tmp/cache/) empties them, so the site
 * describes its real state at once.
 */
export async function purgeCaches(ctx: Ctx, platformId: string): Promise<void> {
  const platform = await platformOf(ctx, platformId);
  const { ran } = await runPlatformCommand({ kind: 'purge', jobId: ctx.job.id, siteId: ctx.params.siteId, platform, dbAccess: () => dbAccessOf(ctx), log: (m, level) => ctx.log(m, level), signal: ctx.signal });
  if (!ran) await ctx.log(formatWorkerLine('noPurgeCommand', { platform: platform.name }));
}

/** "health check: http://a.example.org/: needs-install (302), redirects to …": the probe's status and what it saw, in catalogue words. */
export function healthFailure(url: string, r: { status: string; code: number | null; detail: string | null }): Error {
  const key = r.code ? (r.detail ? 'upgradeHealthCodeDetail' : 'upgradeHealthCode') : r.detail ? 'upgradeHealthDetail' : 'upgradeHealth';
  const status = phrase('serviceErrors.healthStatus', { status: r.status === 'needs-install' ? 'needsInstall' : r.status });
  return stepError(`serviceErrors.${key}`, { url, status, code: String(r.code ?? ''), detail: r.detail ? lineWords(r.detail) : '' });
}

/**
 * After the command's exit status, the HTTP probe when the platform has a health path,
 * judged as the sites.health job judges (lib/sites/site-health.ts): the site must be up. A
 * redirect to its installer, a sign-in page instead of its public page, an error or no
 * answer fails the step, and the upgrade is rolled back.
 */
export const healthStep: JobStep<SiteChangeParams> = {
  name: 'health check',
  async run(ctx) {
    const target = await platformOf(ctx, stateOf(ctx).targetPlatformId!);
    const path = healthCheckPath(target.healthCheck);
    if (!path) {
      await ctx.log(formatWorkerLine('healthNoHttp'));
      return;
    }
    if (stateOf(ctx).previousStatus === 'disabled') {
      // A disabled site is not served: its answer would say nothing of the upgrade.
      await ctx.log(formatWorkerLine('healthDisabled', { path }));
      return;
    }
    const certificate = await db.certificate.findUnique({ where: { siteId: ctx.params.siteId } });
    const r = await checkSiteHealth({ id: ctx.params.siteId, host: ctx.params.host, platform: target, certificate }, probeFront());
    const url = `${certificate ? 'https' : config().health.scheme}://${ctx.params.host}${path}`;
    if (r.status !== 'up') throw healthFailure(url, r);
    await ctx.log(
      r.code && !r.detail
        ? formatWorkerLine('healthSeenUp', { url, nCode: String(r.code), ms: String(r.latencyMs) })
        : formatWorkerLine('healthSeen', { seen: `${url}: ${r.status}${r.code ? ` (${r.code})` : ''}${r.detail ? `, ${r.detail}` : ''}`, ms: String(r.latencyMs) }),
    );
    await ctx.progress(0.9);
  },
};

export function activateStep(stamp: boolean): JobStep<SiteChangeParams> {
  return {
    name: 'activate',
    async run(ctx) {
      const s = stateOf(ctx);
      // A site left failed by a rollback that could not finish works again once restored.
      const status = !s.previousStatus || s.previousStatus === 'failed' ? 'active' : s.previousStatus;
      if (!(await setSiteRow(ctx.params.siteId, { status, ...(stamp ? { upgradedAt: new Date() } : {}) }))) throw stepError('serviceErrors.siteGone', { host: ctx.params.host });
      await ctx.progress(1, formatWorkerLine('progressDone'));
    },
  };
}

/**
 * After a failed job: if its undo could not finish, the site is left marked failed so
 * nobody takes it for healthy; else it is back as it was and stays usable.
 */
export async function markFailedIfStuck(ctx: Ctx): Promise<boolean> {
  const { count } = await db.site.updateMany({ where: { id: ctx.params.siteId, status: 'upgrading' }, data: { status: 'failed' } });
  if (count) await ctx.log(formatWorkerLine('markedFailed', { host: ctx.params.host }), 'error');
  return count > 0;
}

export { siteDbAccess };
