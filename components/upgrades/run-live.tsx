'use client';

import Link from 'next/link';
import { HostName } from '@/components/sites/host-name';
import { useQuery } from '@tanstack/react-query';
import type { RunView } from '@/lib/upgrades/run-view';
import { formatDuration } from '@/lib/domain/format';
import { Card, Stat } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime } from '@/components/ui/time';
import { fetchJson } from '@/components/jobs/fetch-json';
import { RunControls } from './run-controls';
import { RunStateBadge } from './run-state-badge';

const FINAL = ['succeeded', 'partial', 'failed', 'cancelled'];
const WAVES = ['canary', 'share', 'rest'];

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
  const t = run.totals;
  const fraction = t.total ? t.done / t.total : 1;
  const tone = run.status === 'succeeded' ? 'good' : t.failed > 0 ? 'bad' : run.status === 'paused' ? 'muted' : 'accent';

  return (
    <div className="space-y-6">
      <Card title={<span className="flex items-center gap-2">Run <RunStateBadge state={run.status} run /></span>} action={<RunControls id={run.id} status={run.status} failed={t.failed + t.skipped} />}>
        {run.pausedReason && (
          <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
            Paused: {run.pausedReason}. Sites under way finish on their own; resume to go on.
          </p>
        )}
        <div className="mb-4">
          <div className="mb-1 flex justify-between text-sm">
            <span className="text-slate-700">{t.done} of {t.total} sites done</span>
            <span className="tabular-nums text-slate-500" data-testid="run-eta">
              {FINAL.includes(run.status) ? 'finished' : run.etaMs ? `about ${formatDuration(run.etaMs)} left` : 'estimating…'}
            </span>
          </div>
          <ProgressBar fraction={fraction} tone={tone} label="Run progress" className="h-2" />
        </div>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="Upgraded" value={t.succeeded} />
          <Stat label="Failed" value={t.failed} tone={t.failed ? 'bad' : 'default'} />
          <Stat label="Skipped" value={t.skipped} tone={t.skipped ? 'warn' : 'default'} />
          <Stat label="Under way" value={t.inFlight} />
          <Stat label="Waiting" value={t.pending} />
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          {run.selection} → {run.to}; up to {run.concurrency} at once; pauses after {run.maxFailures} failure(s); canary, then {run.canarySharePercent}%, then the rest
          {run.round > 1 ? `; retry round ${run.round}` : ''}. Started <DateTime date={run.startedAt} />
          {run.finishedAt ? <>, finished <DateTime date={run.finishedAt} /></> : null}.
        </p>
        {error && <p role="alert" className="mt-2 text-sm text-amber-700">Could not refresh: {error.message}</p>}
      </Card>

      <Table aria-label="Sites of the run">
        <THead>
          <tr>
            <TH>Site</TH>
            <TH>Wave</TH>
            <TH>State</TH>
            <TH>Now</TH>
            <TH>Log</TH>
          </tr>
        </THead>
        <TBody>
          {run.sites.map((s) => (
            <TR key={s.host} data-state={s.state}>
              <TD className="font-medium text-slate-900">
                <Link href={`/sites/${s.host}`} className="hover:underline"><HostName host={s.host} /></Link>
                <span className="block text-xs font-normal text-slate-500">from {s.from}</span>
              </TD>
              <TD className="text-xs text-slate-500">{WAVES[s.wave]}</TD>
              <TD><RunStateBadge state={s.state} /></TD>
              <TD className="max-w-md text-xs">
                {s.error ? (
                  <span className="text-red-700">{s.error}</span>
                ) : s.lastLine ? (
                  <span className="font-mono text-slate-600">{s.step ? `${s.step}: ` : ''}{s.lastLine}</span>
                ) : s.finishedAt && s.startedAt ? (
                  <span className="text-slate-500">in {formatDuration(new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime())}</span>
                ) : null}
              </TD>
              <TD>{s.jobId ? <Link href={`/jobs/${s.jobId}`} className="text-xs font-medium text-indigo-600 hover:text-indigo-500">log</Link> : null}</TD>
            </TR>
          ))}
        </TBody>
      </Table>

      {run.leftOut.length > 0 && (
        <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">{run.leftOut.length} selected site(s) left out of the run</summary>
          <ul className="mt-2 space-y-1">
            {run.leftOut.map((l) => (
              <li key={l.host}><span className="font-medium"><HostName host={l.host} /></span> <span className="text-slate-500">— {l.reason}</span></li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
