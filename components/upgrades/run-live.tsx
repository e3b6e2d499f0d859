'use client';

import Link from 'next/link';
import { HostName } from '@/components/sites/host-name';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import type { RunView } from '@/lib/upgrades/run-view';
import { formatDuration, formatNumber } from '@/lib/domain/format';
import { useJobWords } from '@/components/jobs/job-words';
import { Card, Stat } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime } from '@/components/ui/time';
import { fetchJson } from '@/components/jobs/fetch-json';
import { RunControls } from './run-controls';
import { RunStateBadge } from './run-state-badge';
import { leftOutText, selectionText, type RunsT } from './run-words';

const FINAL = ['succeeded', 'partial', 'failed', 'cancelled'];

/**
 * A bulk run, refreshed every second while it goes on: totals, time left, each site's state
 * and latest log line. Once the run is over the polling stops; the controls (retry, resume)
 * invalidate the query, which starts it again.
 */
export function RunLive({ initial }: { initial: RunView }) {
  const { data: run, error } = useQuery({
    queryKey: ['run', initial.id],
    queryFn: () => fetchJson<RunView>(`/api/runs/${encodeURIComponent(initial.id)}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && FINAL.includes(q.state.data.status) && q.state.data.totals.inFlight === 0 ? false : 1000),
  });
  const w = useTranslations('runs');
  const words = useJobWords();
  const locale = useLocale();
  const t = run.totals;
  const fraction = t.total ? t.done / t.total : 1;
  const tone = run.status === 'succeeded' ? 'good' : t.failed > 0 ? 'bad' : run.status === 'paused' ? 'muted' : 'accent';

  return (
    <div className="space-y-6">
      <Card title={<span className="flex items-center gap-2">{w('live.run')} <RunStateBadge state={run.status} run /></span>} action={<RunControls id={run.id} status={run.status} failed={t.failed + t.skipped} />}>
        {run.pausedReason && (
          <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
            {w('live.paused', { reason: pausedText(w, run) })}
          </p>
        )}
        <div className="mb-4">
          <div className="mb-1 flex justify-between text-sm">
            <span className="text-slate-700">{w('live.done', { done: t.done, total: t.total })}</span>
            <span className="tabular-nums text-slate-500" data-testid="run-eta">
              {FINAL.includes(run.status) ? w('live.finished') : run.etaMs ? w('live.eta', { duration: formatDuration(run.etaMs, locale) }) : w('live.estimating')}
            </span>
          </div>
          <ProgressBar fraction={fraction} tone={tone} label={w('live.progress')} className="h-2" />
        </div>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label={w('live.upgraded')} value={formatNumber(t.succeeded, locale)} />
          <Stat label={w('live.failed')} value={formatNumber(t.failed, locale)} tone={t.failed ? 'bad' : 'default'} />
          <Stat label={w('live.skipped')} value={formatNumber(t.skipped, locale)} tone={t.skipped ? 'warn' : 'default'} />
          <Stat label={w('live.inFlight')} value={formatNumber(t.inFlight, locale)} />
          <Stat label={w('live.pending')} value={formatNumber(t.pending, locale)} />
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          {w('live.settings', { selection: selectionText(w, run), to: run.to, concurrency: run.concurrency, maxFailures: run.maxFailures, share: run.canarySharePercent })}
          {run.round > 1 ? w('live.round', { round: run.round }) : ''}
          {w.rich('live.started', { date: () => <DateTime date={run.startedAt} /> })}
          {run.finishedAt ? w.rich('live.finishedAt', { date: () => <DateTime date={run.finishedAt} /> }) : null}
          {w('live.end')}
        </p>
        {error && <p role="alert" className="mt-2 text-sm text-amber-700">{w('live.refreshFailed', { error: error.message })}</p>}
      </Card>

      <Table aria-label={w('live.sites')}>
        <THead>
          <tr>
            <TH>{w('live.site')}</TH>
            <TH>{w('live.wave')}</TH>
            <TH>{w('live.state')}</TH>
            <TH>{w('live.now')}</TH>
            <TH>{w('live.log')}</TH>
          </tr>
        </THead>
        <TBody>
          {run.sites.map((s) => (
            <TR key={s.host} data-state={s.state}>
              <TD className="font-medium text-slate-900">
                <Link href={`/sites/${s.host}`} className="hover:underline"><HostName host={s.host} /></Link>
                <span className="block text-xs font-normal text-slate-500">{w('live.from', { platform: s.from })}</span>
              </TD>
              <TD className="text-xs text-slate-500">{w('live.waveName', { wave: String(s.wave) })}</TD>
              <TD><RunStateBadge state={s.state} /></TD>
              <TD className="max-w-md text-xs">
                {s.error ? (
                  <span className="text-red-700">{words.error(s.error, s.errorWords)}</span>
                ) : s.lastLine ? (
                  <span className="font-mono text-slate-600">{s.step ? `${words.step(s.step)}: ` : ''}{words.line(s.lastLine)}</span>
                ) : s.finishedAt && s.startedAt ? (
                  <span className="text-slate-500">{w('live.took', { duration: formatDuration(new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime(), locale) })}</span>
                ) : null}
              </TD>
              <TD>{s.jobId ? <Link href={`/jobs/${s.jobId}`} className="text-xs font-medium text-indigo-600 hover:text-indigo-500">{w('live.logLink')}</Link> : null}</TD>
            </TR>
          ))}
        </TBody>
      </Table>

      {run.leftOut.length > 0 && (
        <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">{w('live.leftOut', { n: run.leftOut.length })}</summary>
          <ul className="mt-2 space-y-1">
            {run.leftOut.map((l) => (
              <li key={l.host}><span className="font-medium"><HostName host={l.host} /></span> <span className="text-slate-500">— {leftOutText(w, l)}</span></li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Who paused the run, or the failures that did, in the reader's language (older runs: the English reason kept). */
function pausedText(w: RunsT, run: RunView): string {
  if (!run.pause) return run.pausedReason ?? '';
  return 'by' in run.pause ? w('live.pausedBy', { who: run.pause.by }) : w('live.pausedBudget', run.pause);
}
