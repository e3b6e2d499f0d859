import { mailOperators, publicLink } from '../mail';
import { runMail, type RunEvent } from '../texts/admin-mails';
import type { runProgress } from './run-progress';

export type { RunEvent } from '../texts/admin-mails';

type Progress = NonNullable<Awaited<ReturnType<typeof runProgress>>>;

/**
 * Tells the admins and technical operators where a run stands, each in their language: at
 * its start, at each 10%, when it pauses and when it ends, with the failed hosts. Links only
 * from the public URL.
 */
export async function mailRunEvent(event: RunEvent, p: Progress): Promise<void> {
  const { run, params, totals } = p;
  const facts = {
    id: run.id,
    status: run.status,
    selection: params.selection,
    target: params.targetName,
    pausedReason: p.summary.pausedReason,
    totals,
    etaMs: p.etaMs,
    failed: p.targets.filter((t) => t.state === 'failed' || t.state === 'cancelled' || t.state === 'skipped'),
    runUrl: publicLink(`/runs/${run.id}`),
  };
  await mailOperators((locale) => runMail(event, facts, locale));
}
