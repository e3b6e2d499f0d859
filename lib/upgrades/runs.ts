import { recordAudit } from '../audit/record';
import { translatedError } from '../i18n/errors';
import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { cancelJob, enqueue } from '../jobs/queue';
import { planUpgrade, type PlanInput } from './run-plan';
import { FINAL_RUN_STATUSES, RUN_KIND, runProgress, saveSummary, type RunParams, type RunSummary } from './run-progress';
import { runDriverHandler } from './run-driver';

export class RunError extends MutuError {}

export interface RunOptions {
  concurrency: number;
  maxFailures: number;
  canarySharePercent: number;
}

async function enqueueDriver(actor: Actor, runId: string) {
  return enqueue(runDriverHandler, { runId, actor }, { actor, lockKey: `run:${runId}`, target: `run ${runId}`, runId });
}

/** Plans the run exactly as the dry run shows it, records it and queues its driver. */
export async function createUpgradeRun(actor: Actor, input: PlanInput, opts: RunOptions) {
  const plan = await planUpgrade(input);
  if (!plan.included.length) throw plan.leftOut.length ? translatedError((m) => new RunError(m, 409), 'serviceErrors.runAllLeftOut', { count: plan.leftOut.length }) : translatedError((m) => new RunError(m, 409), 'serviceErrors.runNothing');
  const now = new Date();
  const params: RunParams = {
    targetPlatformId: plan.target.id,
    targetName: plan.target.name,
    selection: input.hosts ? `${input.hosts.length} listed host(s)` : `hosts matching ${input.match}`,
    ...(input.hosts ? { listed: input.hosts.length } : { match: input.match }),
    concurrency: opts.concurrency,
    maxFailures: opts.maxFailures,
    canarySharePercent: opts.canarySharePercent,
    targets: plan.included,
    leftOut: plan.leftOut,
  };
  const summary: RunSummary = { round: 1, roundStartedAt: now.toISOString(), failureBase: 0, skipped: {}, lastMailedDecile: 0 };
  const run = await db.run.create({
    data: { kind: RUN_KIND, status: 'running', params, summary, createdById: actor.userId ?? null, startedAt: now },
  });
  const driver = await enqueueDriver(actor, run.id);
  await recordAudit(actor, { action: 'run.upgrade.start', details: { runId: run.id, to: plan.target.name, selection: params.selection, sites: plan.included.length, leftOut: plan.leftOut.length, ...opts } });
  return { run, plan, driver };
}

async function findRun(id: string) {
  const run = await db.run.findUnique({ where: { id } });
  if (!run || run.kind !== RUN_KIND) throw translatedError((m) => new RunError(m, 404), 'serviceErrors.runUnknown', { id });
  return run;
}

async function activeDriver(runId: string) {
  return db.job.findFirst({ where: { runId, kind: runDriverHandler.kind, status: { in: ['queued', 'running', 'undoing'] } } });
}

/** Stops queuing sites; the ones already under way finish (each rolls back on its own if it fails). */
export async function pauseRun(actor: Actor, id: string) {
  const run = await findRun(id);
  if (run.status !== 'running') throw translatedError((m) => new RunError(m, 409), 'serviceErrors.runNotRunning', { status: run.status });
  const by = actor.email ?? actor.source;
  const reason = `paused by ${by}`;
  await saveSummary(id, { pausedReason: reason, pause: { by } }, { status: 'paused' });
  await recordAudit(actor, { action: 'run.upgrade.pause', details: { runId: id, reason } });
}

/** Goes on from where it stopped; the failures so far no longer count against the budget. */
export async function resumeRun(actor: Actor, id: string) {
  const run = await findRun(id);
  if (run.status !== 'paused') throw translatedError((m) => new RunError(m, 409), 'serviceErrors.runNotPaused', { status: run.status });
  const p = (await runProgress(id))!;
  await saveSummary(id, { failureBase: p.totals.failed, pausedReason: undefined, pause: undefined }, { status: 'running' });
  const driver = (await activeDriver(id)) ?? (await enqueueDriver(actor, id));
  await recordAudit(actor, { action: 'run.upgrade.resume', details: { runId: id } });
  return driver;
}

/** No more sites are started; queued ones are cancelled, running ones finish. */
export async function cancelRun(actor: Actor, id: string) {
  const run = await findRun(id);
  if (FINAL_RUN_STATUSES.includes(run.status)) throw translatedError((m) => new RunError(m, 409), 'serviceErrors.runAlreadyOver', { status: run.status });
  await db.run.update({ where: { id }, data: { status: 'cancelled' } });
  const queued = await db.job.findMany({ where: { runId: id, kind: 'site.upgrade', status: 'queued' }, select: { id: true } });
  for (const j of queued) await cancelJob(actor, j.id);
  const running = await db.job.count({ where: { runId: id, kind: 'site.upgrade', status: { in: ['running', 'undoing'] } } });
  if (!running && !(await activeDriver(id))) await db.run.update({ where: { id }, data: { finishedAt: new Date() } });
  await recordAudit(actor, { action: 'run.upgrade.cancel', details: { runId: id, cancelledJobs: queued.length } });
  return { cancelledJobs: queued.length, stillRunning: running };
}

/** A new round for the sites that failed or were skipped: the others stay as they are. */
export async function retryFailed(actor: Actor, id: string) {
  const run = await findRun(id);
  if (run.status === 'running') throw translatedError((m) => new RunError(m, 409), 'serviceErrors.runStillRunning');
  const p = (await runProgress(id))!;
  const retried = p.targets.filter((t) => t.state === 'failed' || t.state === 'cancelled' || t.state === 'skipped').length;
  if (!retried) throw translatedError((m) => new RunError(m, 409), 'serviceErrors.runNothingFailed');
  await saveSummary(id, { round: p.summary.round + 1, roundStartedAt: new Date().toISOString(), failureBase: 0, skipped: {}, pausedReason: undefined, pause: undefined }, { status: 'running', finishedAt: null });
  const driver = (await activeDriver(id)) ?? (await enqueueDriver(actor, id));
  await recordAudit(actor, { action: 'run.upgrade.retry', details: { runId: id, sites: retried } });
  return { driver, retried };
}

export async function listRuns(limit = 50) {
  return db.run.findMany({ where: { kind: RUN_KIND }, orderBy: { createdAt: 'desc' }, take: limit });
}
