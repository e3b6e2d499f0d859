import { db } from '../db/client';
import type { LeftOut } from './run-plan';
import type { JobErrorWords } from '../jobs/job-error';
import { runProgress, type PauseWhy, type RunTotals, type TargetState } from './run-progress';

/** A run as its page shows it: plain JSON (dates as strings), the latest log line of each site under way. */
export interface RunView {
  id: string;
  status: string;
  to: string;
  selection: string;
  match: string | null;
  listed: number | null;
  concurrency: number;
  maxFailures: number;
  canarySharePercent: number;
  pausedReason: string | null;
  pause: PauseWhy | null;
  round: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  totals: RunTotals;
  etaMs: number | null;
  sites: {
    host: string;
    from: string;
    wave: number;
    state: TargetState;
    jobId: string | null;
    step: string | null;
    error: string | null;
    errorWords: JobErrorWords | null;
    lastLine: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  }[];
  leftOut: LeftOut[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function runView(id: string): Promise<RunView | null> {
  const p = await runProgress(id);
  if (!p) return null;
  const live = p.targets.filter((t) => t.jobId && (t.state === 'running' || t.state === 'undoing')).map((t) => t.jobId!);
  const lines = new Map<string, string>();
  for (const jobId of live) {
    const line = await db.jobLog.findFirst({ where: { jobId }, orderBy: { id: 'desc' }, select: { message: true } });
    if (line) lines.set(jobId, line.message);
  }
  return {
    id: p.run.id,
    status: p.run.status,
    to: p.params.targetName,
    selection: p.params.selection,
    match: p.params.match ?? null,
    listed: p.params.listed ?? null,
    concurrency: p.params.concurrency,
    maxFailures: p.params.maxFailures,
    canarySharePercent: p.params.canarySharePercent,
    pausedReason: p.run.status === 'paused' ? (p.summary.pausedReason ?? null) : null,
    pause: p.run.status === 'paused' ? (p.summary.pause ?? null) : null,
    round: p.summary.round,
    createdAt: p.run.createdAt.toISOString(),
    startedAt: iso(p.run.startedAt),
    finishedAt: iso(p.run.finishedAt),
    totals: p.totals,
    etaMs: p.etaMs,
    sites: p.targets.map((t) => ({
      host: t.host,
      from: t.from,
      wave: t.wave,
      state: t.state,
      jobId: t.jobId,
      step: t.step,
      error: t.error,
      errorWords: t.errorWords,
      lastLine: t.jobId ? (lines.get(t.jobId) ?? null) : null,
      startedAt: iso(t.startedAt),
      finishedAt: iso(t.finishedAt),
    })),
    leftOut: p.params.leftOut,
  };
}
