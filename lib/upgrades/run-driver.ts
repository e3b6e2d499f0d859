import * as z from 'zod';
import { recordAudit } from '../audit/record';
import { actorSchema } from '../domain/actor';
import { defineJob, type JobContext } from '../jobs/types';
import { cancelJob } from '../jobs/queue';
import { jobsEndedSoFar, untilJobEndsOr } from '../jobs/events';
import { ranInThisProcess } from '../jobs/worker-id';
import { mailRunEvent, type RunEvent } from './run-mail';
import { IN_FLIGHT, runProgress, saveSummary } from './run-progress';
import { requestUpgrade } from './request';
import { formatWorkerLine } from '../domain/job-log-lines';

const driverParams = z.object({ runId: z.string(), actor: actorSchema });
type DriverParams = z.infer<typeof driverParams>;

// A site's job ending in this process wakes the driver at once. One that may end elsewhere
// (queued, or run by another worker process or node) is looked for often: at concurrency 1 the
// next site waits up to one look after it ends. With every site under way here, a look now and
// then is enough (an admin's pause or cancel is also seen at the next site's end).
const LOOK_MS = 150;
const LOOK_WHEN_ALL_HERE_MS = 1000;

const PROGRESS_EVERY_MS = 1000;


async function mail(ctx: JobContext<DriverParams>, event: RunEvent) {
  try {
    const p = await runProgress(ctx.params.runId);
    if (p) await mailRunEvent(event, p);
  } catch (err) {
    await ctx.log(formatWorkerLine('runMailFailed', { event, reason: err instanceof Error ? err.message : String(err) }), 'warn');
  }
}

/**
 * One pass of the driver: decides whether the run ends, pauses or queues more sites.
 * Returns null when the driver's work is over for now (run ended, paused or cancelled), else
 * how long to wait for a site's end before the next look.
 */
async function tick(ctx: JobContext<DriverParams>, shown: { progress?: string; at?: number }): Promise<number | null> {
  const p = await runProgress(ctx.params.runId);
  if (!p) throw new Error(`the run ${ctx.params.runId} is gone`);
  const { run, params, summary, targets, totals } = p;

  if (run.status === 'cancelled') {
    for (const t of targets) if (t.state === 'queued' && t.jobId) await cancelJob(ctx.params.actor, t.jobId);
    if (totals.inFlight > 0) return LOOK_MS; // wait for the ones running: they finish or roll back
    await saveSummary(run.id, { totals }, { finishedAt: new Date() });
    await ctx.log(formatWorkerLine('runCancelled', { count: String(totals.succeeded), nFailed: String(totals.failed), nPending: String(totals.pending) }));
    await mail(ctx, 'ended');
    return null;
  }
  if (run.status === 'paused') {
    await saveSummary(run.id, { totals });
    await ctx.log(summary.pausedReason ? formatWorkerLine('runPausedBecause', { reason: summary.pausedReason }) : formatWorkerLine('runPausedByAdmin'));
    await mail(ctx, 'paused');
    return null;
  }
  if (run.status !== 'running') return null;

  if (totals.budgetFailures > params.maxFailures) {
    const reason = `${totals.budgetFailures} failure(s), more than the ${params.maxFailures} allowed`;
    await saveSummary(run.id, { pausedReason: reason, pause: { failures: totals.budgetFailures, allowed: params.maxFailures }, totals }, { status: 'paused' });
    await ctx.log(formatWorkerLine('runPausedFailures', { count: String(totals.budgetFailures), nAllowed: String(params.maxFailures) }), 'warn');
    await recordAudit(ctx.params.actor, { action: 'run.upgrade.pause', ok: false, details: { runId: run.id, reason } });
    await mail(ctx, 'paused');
    return null;
  }

  if (totals.pending === 0 && totals.inFlight === 0) {
    const problems = totals.failed + totals.skipped;
    const status = problems === 0 ? 'succeeded' : totals.succeeded === 0 ? 'failed' : 'partial';
    await saveSummary(run.id, { totals }, { status, finishedAt: new Date() });
    await ctx.log(formatWorkerLine('runEnded', { status, count: String(totals.succeeded), nFailed: String(totals.failed), nSkipped: String(totals.skipped) }));
    await recordAudit(ctx.params.actor, { action: 'run.upgrade.end', ok: status === 'succeeded', details: { runId: run.id, status, ...totals } });
    await mail(ctx, 'ended');
    return null;
  }

  // The current wave is the first one with a site left; the next starts once it is through.
  const wave = Math.min(...targets.filter((t) => t.state === 'pending' || t.state === 'queued' || t.state === 'running' || t.state === 'undoing').map((t) => t.wave));
  let room = params.concurrency - totals.inFlight;
  let queued = 0;
  const skipped: Record<string, string> = {};
  for (const t of targets) {
    if (room <= 0) break;
    if (t.wave !== wave || t.state !== 'pending') continue;
    try {
      await requestUpgrade(ctx.params.actor, { host: t.host, to: params.targetName, runId: run.id });
      room--;
      queued++;
    } catch (err) {
      // The site changed since the plan (disabled, busy, destroyed...): left out, with why.
      skipped[t.siteId] = err instanceof Error ? err.message : String(err);
      await ctx.log(formatWorkerLine('runSkipped', { host: t.host, reason: skipped[t.siteId]! }), 'warn');
    }
  }
  const decile = totals.total ? Math.floor((totals.done / totals.total) * 10) : 10;
  const mailNow = decile > summary.lastMailedDecile && decile < 10;
  if (Object.keys(skipped).length || mailNow) {
    // Merged with the summary as it is when written: a pause or resume may have come meanwhile.
    await saveSummary(run.id, (fresh) => ({ skipped: { ...fresh.skipped, ...skipped }, lastMailedDecile: Math.max(fresh.lastMailedDecile, mailNow ? decile : 0), totals }));
  }
  if (mailNow) await mail(ctx, 'progress');
  // Written when it moves, and at most once a second: not at every look, nor at every site's end
  // (the run's page reads the sites' jobs themselves; this is the driver's line in the jobs list).
  const progress = `${totals.done}/${totals.total} sites, wave ${wave + 1}`;
  if (progress !== shown.progress && Date.now() - (shown.at ?? 0) >= PROGRESS_EVERY_MS) {
    await ctx.progress(totals.total ? totals.done / totals.total : 1, progress);
    Object.assign(shown, { progress, at: Date.now() });
  }
  const allHere = !queued && targets.every((t) => !IN_FLIGHT.includes(t.state) || (t.state !== 'queued' && ranInThisProcess(t.workerId)));
  return allHere ? LOOK_WHEN_ALL_HERE_MS : LOOK_MS;
}

/**
 * run.upgrade: the driver of a bulk upgrade. It queues the sites' site.upgrade jobs wave
 * by wave (canary, share, rest), never more than the concurrency at once, pauses the run
 * when the failures exceed the budget, and closes it. Everything it knows is in the
 * registry, so after a crash the next worker resumes it where it was.
 */
export const runDriverHandler = defineJob({
  kind: 'run.upgrade',
  params: driverParams,
  onInterrupt: 'resume',
  // It waits on the sites' jobs: in a site slot it would take one of theirs.
  lane: 'control',
  steps: [
    {
      name: 'drive',
      async run(ctx) {
        const p = await runProgress(ctx.params.runId);
        if (p && !p.summary.startMailed) {
          await saveSummary(p.run.id, { startMailed: true });
          await ctx.log(formatWorkerLine('runStarted', { run: p.run.id, count: String(p.totals.total), target: p.params.targetName }));
          await mail(ctx, 'started');
        }
        const shown = {};
        for (;;) {
          const seen = jobsEndedSoFar();
          const wait = await tick(ctx, shown);
          if (wait === null) break;
          if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
          // A site's job ending in this process frees a slot: look again at once (also when it
          // ended while this look was under way).
          await untilJobEndsOr(wait, ctx.signal, seen);
        }
      },
    },
  ],
});
