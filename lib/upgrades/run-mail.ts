import { formatDuration } from '../domain/format';
import { operatorRecipients, publicLink, sendMail } from '../mail';
import type { runProgress } from './run-progress';

export type RunEvent = 'started' | 'progress' | 'paused' | 'ended';

type Progress = NonNullable<Awaited<ReturnType<typeof runProgress>>>;

const MAX_LISTED = 50;

/**
 * Tells the admins and technical operators where a run stands: at its start, at each 10%,
 * when it pauses and when it ends, with the failed hosts. Links only from the public URL.
 */
export async function mailRunEvent(event: RunEvent, p: Progress): Promise<void> {
  const to = await operatorRecipients();
  if (!to.length) return;
  const { run, params, totals } = p;
  const pct = totals.total ? Math.floor((totals.done / totals.total) * 100) : 100;
  const subject = {
    started: `[Mutu] Upgrade run started: ${totals.total} site(s) to ${params.targetName}`,
    progress: `[Mutu] Upgrade run to ${params.targetName}: ${pct}% done`,
    paused: `[Mutu] Upgrade run to ${params.targetName} paused`,
    ended: `[Mutu] Upgrade run to ${params.targetName} ${run.status}`,
  }[event];
  const failed = p.targets.filter((t) => t.state === 'failed' || t.state === 'cancelled' || t.state === 'skipped');
  const lines = [
    `Run ${run.id}: ${params.selection} -> ${params.targetName}`,
    `Status: ${run.status}${p.summary.pausedReason && run.status === 'paused' ? ` (${p.summary.pausedReason})` : ''}`,
    `Sites: ${totals.total}; upgraded ${totals.succeeded}, failed ${totals.failed}, skipped ${totals.skipped}, in progress ${totals.inFlight}, waiting ${totals.pending}`,
    event !== 'ended' && p.etaMs ? `Time left: about ${formatDuration(p.etaMs)}` : '',
    '',
    failed.length ? 'Failed (each rolled back to its previous state):' : '',
    ...failed.slice(0, MAX_LISTED).map((t) => `  ${t.host}: ${t.error ?? t.state}`),
    failed.length > MAX_LISTED ? `  ... and ${failed.length - MAX_LISTED} more` : '',
    '',
    `Follow it: ${publicLink(`/runs/${run.id}`)}`,
  ].filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  await sendMail({ to, subject, text: lines.join('\n') + '\n' });
}
