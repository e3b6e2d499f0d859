import * as z from 'zod';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import { defineJob, type JobStep } from '../jobs/types';
import { checkSnapshotFiles, restoreSnapshot } from './snapshot';
import { serveNow } from '../sites/serve-step';
import { tellWebmasters } from '../sites/webmaster-notify';
import {
  activateStep,
  healthStep,
  markFailedIfStuck,
  markUpgradingStep,
  preflight,
  purgeCaches,
  restoreOwnSnapshot,
  siteChangeParams,
  snapshotStep,
  stateOf,
  switchPlatformStep,
  type ChangeState,
} from './steps';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

export const UNDO_KIND = 'site.upgrade-undo';

export const undoParams = siteChangeParams.extend({ snapshotId: z.string() });
export type UndoParams = z.infer<typeof undoParams>;

async function snapshotOf(ctx: { params: UndoParams }) {
  const snap = await db.snapshot.findUnique({ where: { id: ctx.params.snapshotId }, include: { platform: true } });
  if (!snap || snap.siteId !== ctx.params.siteId) throw translatedError((m) => new Error(m), 'serviceErrors.snapshotGone', { id: ctx.params.snapshotId, host: ctx.params.host });
  return snap;
}

const restoreStep: JobStep<UndoParams> = {
  name: 'restore snapshot',
  async run(ctx) {
    const snap = await snapshotOf(ctx);
    await ctx.save({ changeStarted: true } satisfies ChangeState);
    await restoreSnapshot(snap.path, ctx.params.siteId, ctx.params.host, snap.platform.profile, ctx.signal);
    await ctx.log(formatWorkerLine('restoredFromAt', { path: snap.path, at: snap.createdAt.toISOString() }));
    await serveNow(ctx);
    await purgeCaches(ctx, snap.platformId);
    await ctx.progress(0.8);
  },
  // A failed restore is itself undone from the snapshot this job took first.
  undo: restoreOwnSnapshot,
};

/**
 * site.upgrade-undo: puts a site back as a snapshot has it, database, config and platform.
 * It snapshots the site as it is first, so a failed undo is itself rolled back.
 */
export const undoHandler = defineJob({
  kind: UNDO_KIND,
  params: undoParams,
  onInterrupt: 'undo',
  steps: [
    {
      name: 'preflight',
      async run(ctx) {
        const snap = await snapshotOf(ctx);
        checkSnapshotFiles(snap.path);
        await preflight(ctx, snap.platformId, { allowSamePlatform: true, allowFailed: true });
      },
    },
    snapshotStep('undo'),
    markUpgradingStep,
    switchPlatformStep,
    restoreStep,
    healthStep,
    activateStep(false),
  ],
  async onEnd(ctx, outcome) {
    const ok = outcome.status === 'succeeded';
    const stuck = ok ? false : await markFailedIfStuck(ctx);
    const snap = await db.snapshot.findUnique({ where: { id: ctx.params.snapshotId }, include: { platform: { select: { name: true } } } });
    await recordAudit(ctx.params.actor, {
      action: 'site.upgrade.undo',
      siteId: ctx.params.siteId,
      siteHost: ctx.params.host,
      ok,
      details: { jobId: ctx.job.id, snapshotId: ctx.params.snapshotId, to: snap?.platform.name, ...(ok ? { safetySnapshotId: stateOf(ctx).snapshotId } : { error: outcome.error, rolledBack: !stuck }) },
    });
    if (ok) await tellWebmasters(ctx, { kind: 'undone', to: snap?.platform.name ?? 'its earlier platform' });
  },
});
