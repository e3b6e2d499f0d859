import type { ProfileName } from '@prisma/client';
import { recordAudit } from '../audit/record';
import { db } from '../db/client';
import { translatedError } from '../i18n/errors';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { engineRefusal } from '../domain/engines';
import { enqueue } from '../jobs/queue';
import { findSite } from '../sites/lifecycle';
import { activePlatforms } from '../platforms/service';
import { releaseOrder } from '../domain/releases';
import { undoHandler } from './undo-handler';
import { upgradeHandler } from './upgrade-handler';
import { UPGRADABLE_STATUSES } from './steps';

export class UpgradeError extends MutuError {}

/** A job of the site that is not finished: another change would have to wait for it. */
export async function busyJob(siteId: string, host: string) {
  return db.job.findFirst({
    where: { OR: [{ siteId }, { lockKey: host }], status: { in: ['queued', 'running', 'undoing'] } },
    select: { id: true, kind: true, status: true },
  });
}

/** The engine of a site's database server, or null when the registry has no database for it. */
async function siteEngine(siteId: string): Promise<string | null> {
  const rec = await db.siteDatabase.findUnique({ where: { siteId }, select: { server: { select: { engine: true } } } });
  return rec?.server.engine ?? null;
}

const busyError = (host: string, busy: { id: string; kind: string; status: string }) =>
  translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.siteBusy', { host, job: busy.id, kind: busy.kind, status: busy.status });

/** The platform a site may be upgraded to, or an error saying why not. */
export async function upgradeTarget(name: string) {
  const target = await db.platform.findUnique({ where: { name } });
  if (!target) throw translatedError((m) => new UpgradeError(m, 404), 'serviceErrors.platformUnknown', { name });
  if (target.status !== 'active') throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.platformRetired', { name });
  return target;
}

/** Queues the upgrade of one site, refusing at once what the job's preflight would refuse. */
export async function requestUpgrade(actor: Actor, input: { host: string; to: string; runId?: string; /** false: an older release is refused (the dashboard's default) */ allowOlder?: boolean }) {
  const site = await findSite(input.host);
  const target = await upgradeTarget(input.to);
  const current = await db.platform.findUniqueOrThrow({ where: { id: site.platformId } });
  if (site.platformId === target.id) throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.upgradeAlreadyOn', { host: site.host, platform: target.name });
  if (current.profile !== target.profile) throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.upgradeOtherProfile', { target: target.name, targetProfile: target.profile, host: site.host, profile: current.profile });
  if (input.allowOlder === false && ['older', 'same'].includes(releaseOrder(target, current))) {
    throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.upgradeNotNewer', { target: target.name, targetVersion: target.version, current: current.name, currentVersion: current.version });
  }
  const engine = await siteEngine(site.id);
  const refusal = engine ? engineRefusal(target.profile, engine) : null;
  if (refusal) throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.upgradeDbCannotMove', { host: site.host, target: target.name, reason: refusal.words.reason });
  if (!UPGRADABLE_STATUSES.includes(site.status)) throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.upgradeWrongStatus', { host: site.host, status: site.status });
  const busy = await busyJob(site.id, site.host);
  if (busy) throw busyError(site.host, busy);
  // Bound to the site's node, as enqueue would find it: the site is read already.
  const job = await enqueue(upgradeHandler, { siteId: site.id, host: site.host, targetPlatformId: target.id, actor }, { actor, lockKey: site.host, siteId: site.id, runId: input.runId, node: site.node });
  if (!input.runId) await recordAudit(actor, { action: 'site.upgrade.request', siteId: site.id, siteHost: site.host, details: { jobId: job.id, from: current.name, to: target.name } });
  return { site, target, from: current, job };
}

/** A site's snapshots, newest first (`limit`: the latest only). */
export async function listSnapshots(siteId: string, limit?: number) {
  return db.snapshot.findMany({
    where: { siteId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: { platform: { select: { name: true, version: true, status: true } } },
  });
}

/** What the site page offers for an upgrade: the platform it runs, the other active ones of its profile, its latest snapshots. */
export async function siteUpgradeChoices(site: { id: string; platformId: string; profile: ProfileName }, snapshots: number) {
  const [current, targets, latest] = await Promise.all([
    db.platform.findUniqueOrThrow({ where: { id: site.platformId }, select: { name: true, version: true } }),
    activePlatforms({ profile: site.profile, except: site.platformId }),
    listSnapshots(site.id, snapshots),
  ]);
  return { current, targets: targets.map(({ name, version }) => ({ name, version })), snapshots: latest };
}

/** Queues the undo of an upgrade: the site back as a snapshot (by default its latest) has it. */
export async function requestUndo(actor: Actor, input: { host: string; snapshotId?: string }) {
  const site = await findSite(input.host);
  const snap = input.snapshotId
    ? await db.snapshot.findUnique({ where: { id: input.snapshotId }, include: { platform: true } })
    : await db.snapshot.findFirst({ where: { siteId: site.id }, orderBy: { createdAt: 'desc' }, include: { platform: true } });
  if (!snap || snap.siteId !== site.id) {
    throw input.snapshotId
      ? translatedError((m) => new UpgradeError(m, 404), 'serviceErrors.noSnapshotId', { host: site.host, id: input.snapshotId })
      : translatedError((m) => new UpgradeError(m, 404), 'serviceErrors.noSnapshot', { host: site.host });
  }
  if (snap.platform.status !== 'active') throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.snapshotPlatformRetired', { name: snap.platform.name });
  // A failed site (its rollback could not finish) is what an undo is for.
  if (![...UPGRADABLE_STATUSES, 'failed'].includes(site.status)) throw translatedError((m) => new UpgradeError(m, 409), 'serviceErrors.undoWrongStatus', { host: site.host, status: site.status });
  const busy = await busyJob(site.id, site.host);
  if (busy) throw busyError(site.host, busy);
  const job = await enqueue(undoHandler, { siteId: site.id, host: site.host, snapshotId: snap.id, actor }, { actor, lockKey: site.host, siteId: site.id });
  await recordAudit(actor, { action: 'site.upgrade.undo.request', siteId: site.id, siteHost: site.host, details: { jobId: job.id, snapshotId: snap.id, to: snap.platform.name } });
  return { site, snapshot: snap, job };
}
