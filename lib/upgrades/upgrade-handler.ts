import * as z from 'zod';
import { recordAudit } from '../audit/record';
import { defineJob, type JobStep } from '../jobs/types';
import { platformCommand, runPlatformCommand } from '../platforms/run-command';
import { ProcessGroup } from '../processes/group';
import { translatedError } from '../i18n/errors';
import { tellWebmasters } from '../sites/webmaster-notify';
import type { SiteChange } from '../texts/webmaster-mails';
import { killLeftoverCommand } from './leftovers';
import {
  activateStep,
  dbAccessOf,
  findPlatform,
  healthStep,
  markFailedIfStuck,
  markUpgradingStep,
  platformOf,
  preflight,
  restoreOwnSnapshot,
  siteChangeParams,
  snapshotStep,
  stateOf,
  switchPlatformStep,
  type ChangeState,
} from './steps';
import { formatWorkerLine } from '../domain/job-log-lines';

export const UPGRADE_KIND = 'site.upgrade';

export const upgradeParams = siteChangeParams.extend({ targetPlatformId: z.string() });
export type UpgradeParams = z.infer<typeof upgradeParams>;

/** Waits until a dead worker's command is really gone before its database is restored. */
async function killLeftovers(pid: number, jobId: string, log: (m: string) => Promise<void>) {
  const found = killLeftoverCommand(pid, jobId);
  if (!found) return;
  await log(formatWorkerLine('leftoversKilled', { count: String(found), group: String(pid) }));
  // The job's mark proved the group is the command's: wait until none of it is left, zombies included.
  if (await new ProcessGroup(pid).reap()) return;
  // Only zombies are left (they can change nothing) unless a marked process still lives.
  if (killLeftoverCommand(pid, jobId)) {
    throw translatedError((m) => new Error(m), 'serviceErrors.leftoversAlive', { group: String(pid) });
  }
  await log(formatWorkerLine('leftoversUnreaped'));
}

const commandStep: JobStep<UpgradeParams> = {
  name: 'upgrade command',
  async run(ctx) {
    const s = stateOf(ctx);
    const [target, old] = await Promise.all([platformOf(ctx, s.targetPlatformId!), platformOf(ctx, s.oldPlatformId!)]);
    if (!platformCommand(target, 'upgrade')) {
      await ctx.log(formatWorkerLine('noUpgradeCommand', { platform: target.name }));
      return;
    }
    // Recorded first: from here on, an undo restores the database whatever the command did.
    await ctx.save({ changeStarted: true } satisfies ChangeState);
    await runPlatformCommand({
      kind: 'upgrade',
      jobId: ctx.job.id,
      siteId: ctx.params.siteId,
      platform: target,
      oldPlatform: old,
      dbAccess: () => dbAccessOf(ctx),
      log: (m, level) => ctx.log(m, level),
      signal: ctx.signal,
      onStart: (pid) => ctx.save({ commandPid: pid } satisfies ChangeState),
    });
    await ctx.log(formatWorkerLine('upgradeCommandOk'));
    await ctx.progress(0.8);
  },
  async undo(ctx) {
    const s = stateOf(ctx);
    if (s.commandPid) await killLeftovers(s.commandPid, ctx.job.id, (m) => ctx.log(m, 'warn'));
    await restoreOwnSnapshot(ctx);
  },
};

/**
 * site.upgrade: preflight -> snapshot -> marked upgrading -> switched to the target
 * platform -> upgrade command -> health check -> back to its state. Any failure, timeout
 * or crash of the worker undoes the steps: the database and config come back from the
 * snapshot, the platform is switched back, and the site is usable again as it was.
 */
export const upgradeHandler = defineJob({
  kind: UPGRADE_KIND,
  params: upgradeParams,
  onInterrupt: 'undo',
  steps: [
    { name: 'preflight', run: (ctx) => preflight(ctx, ctx.params.targetPlatformId, { allowSamePlatform: false }) },
    snapshotStep('upgrade'),
    markUpgradingStep,
    switchPlatformStep,
    commandStep,
    healthStep,
    activateStep(true),
  ],
  async onEnd(ctx, outcome) {
    const s = stateOf(ctx);
    const ok = outcome.status === 'succeeded';
    const stuck = ok ? false : await markFailedIfStuck(ctx);
    const [from, to] = await Promise.all([s.oldPlatformId ? findPlatform(ctx, s.oldPlatformId) : null, findPlatform(ctx, ctx.params.targetPlatformId)]);
    await recordAudit(ctx.params.actor, {
      action: 'site.upgrade',
      siteId: ctx.params.siteId,
      siteHost: ctx.params.host,
      ok,
      details: {
        jobId: ctx.job.id,
        from: from?.name,
        to: to?.name,
        ...(ctx.job.runId ? { runId: ctx.job.runId } : {}),
        ...(ok ? { snapshotId: s.snapshotId } : { error: outcome.error, rolledBack: !stuck }),
      },
    });
    if (!ok) await ctx.log(formatWorkerLine(stuck ? 'upgradeStuck' : 'upgradeRolledBack'), stuck ? 'error' : 'warn');
    const fromName = from?.name ?? 'its platform';
    const toName = to?.name ?? 'the new platform';
    const change: SiteChange = ok ? { kind: 'upgraded', from: fromName, to: toName } : stuck ? { kind: 'upgrade-stuck', to: toName } : { kind: 'upgrade-rolled-back', from: fromName, to: toName };
    // A refusal before anything changed (preflight) is no news for the webmasters.
    if (ok || s.changeStarted) await tellWebmasters(ctx, change);
  },
});
