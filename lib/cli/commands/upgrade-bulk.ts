import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../../config';
import { db } from '../../db/client';
import type { Actor } from '../../domain/actor';
import { formatDuration } from '../../domain/format';
import { registerBuiltInHandlers } from '../../jobs/handlers';
import { JOB_QUEUED, jobEvents } from '../../jobs/events';
import { Worker } from '../../jobs/worker';
import { planUpgrade } from '../../upgrades/run-plan';
import { FINAL_RUN_STATUSES, runProgress, type RunTotals } from '../../upgrades/run-progress';
import { createUpgradeRun } from '../../upgrades/runs';
import { printTable } from '../output';

export interface BulkOptions {
  match?: string;
  hosts?: string;
  to?: string;
  dryRun?: boolean;
  concurrency: number;
  maxFailures: number;
  canaryShare: number;
  wait: boolean;
}

export const EXIT_PARTIAL = 3;

/** Exit status of a run: 0 all upgraded, 3 some failed, 1 none upgraded (or nothing done). */
export function exitCodeFor(status: string, totals: RunTotals): number {
  if (status === 'succeeded') return 0;
  return totals.succeeded > 0 ? EXIT_PARTIAL : 1;
}

const BAR_WIDTH = 30;

function progressLine(t: RunTotals, status: string, etaMs: number | null): string {
  const fraction = t.total ? t.done / t.total : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  const eta = etaMs ? `, about ${formatDuration(etaMs)} left` : '';
  return `[${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${t.done}/${t.total}  ok ${t.succeeded}  failed ${t.failed}${t.skipped ? `  skipped ${t.skipped}` : ''}  running ${t.inFlight}  ${status}${eta}`;
}

/**
 * `mutu upgrade --match/--hosts`: the dry run, or a run driven in this process with a
 * progress bar (redrawn in a terminal, a line per 10% otherwise). Returns the exit status.
 */
export async function runBulkUpgrade(actor: Actor, opts: BulkOptions): Promise<number> {
  const input = { match: opts.match, hosts: opts.hosts?.split(','), to: opts.to! };
  if (opts.dryRun) {
    const plan = await planUpgrade(input);
    console.log(`Dry run: upgrading to ${plan.target.name}${plan.target.version ? ` ${plan.target.version}` : ''}; nothing is changed.`);
    console.log(`\nWould upgrade ${plan.included.length} site(s)${plan.included.length ? ` (canary: ${plan.included[0]!.host})` : ''}:`);
    printTable(plan.included.map((s) => ({ host: s.host, from: s.from, to: plan.target.name })), ['host', 'from', 'to'], '  (none)');
    console.log(`\nLeft out: ${plan.leftOut.length} site(s)`);
    if (plan.leftOut.length) printTable(plan.leftOut.map((s) => ({ host: s.host, reason: s.reason })), ['host', 'reason']);
    return 0;
  }

  const { run, plan, driver } = await createUpgradeRun(actor, input, { concurrency: opts.concurrency, maxFailures: opts.maxFailures, canarySharePercent: opts.canaryShare });
  console.log(`Run ${run.id}: ${plan.included.length} site(s) to ${plan.target.name}, ${plan.leftOut.length} left out; canary ${plan.included[0]!.host}, up to ${opts.concurrency} at once, pause after ${opts.maxFailures} failure(s).`);
  if (!opts.wait) {
    console.log(`Queued: a running worker drives it. Follow it with \`mutu runs show --id ${run.id}\`.`);
    return 0;
  }

  return followRun(run.id, driver.id);
}

/**
 * Works a run's jobs in this process (the list grows as the driver queues sites) and
 * shows its progress until it ends or pauses with nothing under way. A server's worker
 * may take some of the jobs: they are followed all the same.
 */
export async function followRun(runId: string, driverJobId: string): Promise<number> {
  registerBuiltInHandlers();
  const mine = [driverJobId]; // read by the worker at each claim
  // Only the run's jobs: its driver sets how many sites at once, not the worker's concurrency.
  const worker = new Worker({ concurrency: 1, leaseSeconds: config().worker.leaseSeconds, pollMs: 100, onlyJobIds: mine });
  // Only the run's unfinished jobs: the worker's claim query lists them (a few, never thousands).
  const adopt = async () => {
    const open = await db.job.findMany({ where: { runId, status: { in: ['queued', 'running', 'undoing'] } }, select: { id: true } });
    mine.splice(0, mine.length, ...open.map((j) => j.id));
    worker.nudge();
  };
  // The driver, in this process, queues a site: its job is this worker's at once, not at the next look below.
  let adopting = Promise.resolve();
  const onQueued = () => void (adopting = adopting.then(adopt).catch(() => {}));
  await worker.start();
  jobEvents.on(JOB_QUEUED, onQueued);
  const tty = process.stdout.isTTY;
  let printedDecile = -1;
  let shown = '';
  try {
    for (;;) {
      await adopt();
      const p = (await runProgress(runId))!;
      const line = progressLine(p.totals, p.run.status, p.etaMs);
      const decile = p.totals.total ? Math.floor((p.totals.done / p.totals.total) * 10) : 10;
      if (tty && line !== shown) process.stdout.write(`\r\x1b[2K${line}`);
      if (!tty && decile > printedDecile) {
        console.log(line);
        printedDecile = decile;
      }
      shown = line;
      const driverActive = await db.job.count({ where: { runId, kind: 'run.upgrade', status: { in: ['queued', 'running', 'undoing'] } } });
      const settled = FINAL_RUN_STATUSES.includes(p.run.status) || p.run.status === 'paused';
      if (settled && !driverActive && p.totals.inFlight === 0) {
        if (tty) process.stdout.write('\n');
        return summarize(p);
      }
      await sleep(250);
    }
  } finally {
    jobEvents.off(JOB_QUEUED, onQueued);
    await adopting;
    await worker.stop();
  }
}

function summarize(p: NonNullable<Awaited<ReturnType<typeof runProgress>>>): number {
  const { run, totals, targets } = p;
  const failed = targets.filter((t) => t.state === 'failed' || t.state === 'cancelled' || t.state === 'skipped');
  console.log(`\nRun ${run.id} ${run.status}: ${totals.succeeded} upgraded, ${totals.failed} failed (rolled back), ${totals.skipped} skipped, ${totals.pending} not started.`);
  if (failed.length) {
    console.log('Failed:');
    for (const t of failed) console.log(`  ${t.host}: ${t.error ?? t.state}${t.jobId ? ` (log: mutu jobs show ${t.jobId})` : ''}`);
  }
  if (run.status === 'paused') console.log(`Paused: ${p.summary.pausedReason ?? ''}. Go on with \`mutu runs resume --id ${run.id}\`, or retry the failed sites later with \`mutu runs retry-failed --id ${run.id}\`.`);
  else if (failed.length) console.log(`Retry the failed sites with \`mutu runs retry-failed --id ${run.id}\`.`);
  return exitCodeFor(run.status, totals);
}
