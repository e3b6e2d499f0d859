'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import type { JobSummary } from '@/lib/jobs/query';
import { formatDuration, formatPercent } from '@/lib/domain/format';
import { StatusBadge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { DateTime, TimeAgo } from '@/components/ui/time';
import { CancelJobButton } from './cancel-job-button';
import { fetchJson } from './fetch-json';
import { JobLog } from './job-log';
import { useJobWords } from './job-words';
import { canCancel, isFinished, jobDurationMs, progressTone } from './job-status';
import { useJobLog, type LogPage } from './use-job-log';
import { JobNode, JobNodeLabel, WaitingForNode } from '@/components/nodes/waiting-for-node';

/** A job's status and log, refreshed every second until it is over. */
export function JobLive({ initialJob, initialLog }: { initialJob: JobSummary; initialLog: LogPage }) {
  const t = useTranslations('jobs.live');
  const locale = useLocale();
  const { data: job, error, refetch } = useQuery({
    queryKey: ['job', initialJob.id],
    queryFn: () => fetchJson<JobSummary>(`/api/jobs/${encodeURIComponent(initialJob.id)}`),
    initialData: initialJob,
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : 1000),
    // Polled even from a background tab: coming back to it never shows a state long gone.
    refetchIntervalInBackground: true,
  });
  const log = useJobLog(initialJob.id, initialLog);
  const words = useJobWords();
  const finished = isFinished(job.status);
  // The log is read apart from the status: once it says the job is over, the status is read
  // again at once, so the page never shows "running" above a finished log.
  useEffect(() => {
    if (log.done && !finished) void refetch();
  }, [log.done, finished, refetch]);

  return (
    <div className="space-y-6">
      <Card
        title={
          <span className="flex items-center gap-2">
            <StatusBadge status={job.status} />
            {job.cancelRequested && !finished && <span className="text-xs font-normal text-amber-700">{t('cancelRequested')}</span>}
          </span>
        }
        action={canCancel(job) ? <CancelJobButton jobId={job.id} /> : undefined}
      >
        <div className="mb-4">
          <div className="mb-1 flex justify-between text-sm">
            <span className="text-slate-700"><StepLabel job={job} /></span>
            <span className="tabular-nums text-slate-500">{formatPercent(job.progress, locale)}</span>
          </div>
          <ProgressBar fraction={job.progress} tone={progressTone(job.status)} label={t('progress')} className="h-2" />
          {job.progressText && <p className="mt-1 text-xs text-slate-500">{words.progress(job.progressText)}</p>}
        </div>
        {job.status === 'queued' && job.waitingForNode && <WaitingForNode node={job.waitingForNode} />}
        {job.error && (
          <div
            role={job.status === 'cancelled' ? 'status' : 'alert'}
            className={
              job.status === 'cancelled'
                ? 'mb-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-inset ring-slate-500/20'
                : 'mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-600/20'
            }
          >
            <span className="font-medium">{job.status === 'cancelled' ? t('cancelled') : t('error')}</span>
            {words.error(job.error, job.errorWords)}
          </div>
        )}
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Item label={t('created')}><DateTime date={job.createdAt} /> <span className="text-slate-500">(<TimeAgo date={job.createdAt} />)</span></Item>
          <Item label={t('started')}><DateTime date={job.startedAt} /></Item>
          <Item label={t('finished')}><DateTime date={job.finishedAt} /></Item>
          <Item label={finished ? t('duration') : t('runningFor')}>
            <span suppressHydrationWarning className="tabular-nums">{formatDuration(jobDurationMs(job), locale)}</span>
          </Item>
          <Item label={t('requestedBy')}>{job.createdBy ?? t('system')}</Item>
          <Item label={t('attempts')}>{job.attempts}</Item>
          <Item label={t('heartbeat')}><TimeAgo date={job.heartbeatAt} /></Item>
          <Item label={t('worker')}><span className="break-all font-mono text-xs">{job.workerId ?? '—'}</span></Item>
          {job.node && <Item label={<JobNodeLabel />}><JobNode node={job.node} /></Item>}
        </dl>
        {error && <p role="alert" className="mt-4 text-sm text-amber-700">{t('refreshFailed', { error: error.message })}</p>}
      </Card>

      <section>
        <h2 className="mb-2 text-base font-semibold text-slate-900">{t('log')}</h2>
        <JobLog lines={log.lines} live={!log.done} quoted={job.errorWords?.quoted} />
        {log.error && <p role="alert" className="mt-2 text-sm text-amber-700">{t('logFailed', { error: log.error.message })}</p>}
      </section>
    </div>
  );
}

function StepLabel({ job }: { job: JobSummary }) {
  const t = useTranslations('jobs.live');
  const words = useJobWords();
  const step = job.step && words.step(job.step);
  const rich = (key: 'failedAt' | 'resumeAt' | 'undoingStep' | 'stepNow') =>
    t.rich(key, { step: step ?? '', b: (chunks) => <strong className="font-medium">{chunks}</strong> });
  switch (job.status) {
    case 'succeeded':
      return <>{t('done')}</>;
    case 'cancelled':
      return <>{t('cancelledState')}</>;
    case 'failed':
      return <>{step ? rich('failedAt') : t('failed')}</>;
    case 'queued':
      return <>{step ? rich('resumeAt') : t('waiting')}</>;
    case 'undoing':
      return <>{step ? rich('undoingStep') : t('undoing')}</>;
    default:
      return <>{step ? rich('stepNow') : t('starting')}</>;
  }
}

function Item({ label, children }: { label: React.ReactNode; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-800">{children}</dd>
    </div>
  );
}
