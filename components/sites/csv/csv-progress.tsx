'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { wordsOf } from '@/lib/domain/errors';
import type { CreationProgress } from '@/lib/sites/bulk-create';
import { useJobWords } from '@/components/jobs/job-words';
import { useWholeCatalogue } from '@/components/i18n/whole-catalogue';
import { fetchJson } from '@/components/jobs/fetch-json';
import { HostName } from '@/components/sites/host-name';
import { StatusBadge } from '@/components/ui/badge';
import { Stat } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { CsvState } from './csv-state';

type Queued = NonNullable<NonNullable<CsvState>['queued']>;
type Refused = NonNullable<NonNullable<CsvState>['refused']>;

/**
 * The sites of a file being made, refreshed every second until none is left under way, as the
 * job and run pages follow theirs: how many made, failed (undone) and in progress, and each
 * site with its state, its page once made, and its job.
 */
export function CsvProgress({ queued, refused }: { queued: Queued; refused: Refused }) {
  const t = useTranslations('newSite.csv');
  const field = useTranslations('newSite');
  const all = useWholeCatalogue().t;
  const words = useJobWords();
  const ids = queued.map((q) => q.jobId);
  const { data, error } = useQuery({
    queryKey: ['site-creations', ids],
    queryFn: () =>
      fetchJson<CreationProgress>('/api/sites/creations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jobs: ids }) }),
    enabled: ids.length > 0,
    refetchInterval: (q) => (q.state.data && q.state.data.inProgress === 0 ? false : 1000),
    refetchIntervalInBackground: true,
  });
  const total = queued.length;
  const made = data?.made ?? 0;
  const failed = data?.failed ?? 0;
  const done = made + failed;
  const byId = new Map(data?.jobs.map((j) => [j.id, j]));

  return (
    <div className="space-y-4">
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span className="font-medium text-slate-900">{t('progressTitle')}</span>
          <span className="tabular-nums text-slate-600" data-testid="csv-progress">{t('progress', { done, total })}</span>
        </div>
        <ProgressBar fraction={total ? done / total : 1} tone={failed ? 'bad' : done === total ? 'good' : 'accent'} label={t('progressLabel')} className="h-2" />
      </div>
      <dl className="grid grid-cols-3 gap-4">
        <Stat label={t('made')} value={made} />
        <Stat label={t('failed')} value={failed} tone={failed ? 'bad' : 'default'} />
        <Stat label={t('inProgress')} value={data ? data.inProgress : total} />
      </dl>
      {total > 0 && done === total && (
        <p role="status" className={failed ? 'text-sm text-red-700' : 'text-sm text-emerald-800'}>
          {failed ? t('someFailed', { count: failed }) : t('allMade', { count: total })}
        </p>
      )}
      {error && <p role="alert" className="text-sm text-amber-700">{t('refreshFailed', { error: error.message })}</p>}
      {refused.length > 0 && (
        <div role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
          {t('refused', { count: refused.length })}
          <ul className="mt-1 list-disc pl-5">
            {refused.map((r) => (
              <li key={r.line}>
                {t('line')} {r.line}, {r.host}: {r.words ? wordsOf(all, r.words) : r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {total > 0 && (
        <Table aria-label={t('progressLabel')}>
          <THead>
            <tr>
              <TH>{t('line')}</TH>
              <TH>{field('host')}</TH>
              <TH>{t('state')}</TH>
              <TH>{t('job')}</TH>
            </tr>
          </THead>
          <TBody>
            {queued.map((q) => {
              const job = byId.get(q.jobId);
              const status = job?.status ?? 'queued';
              return (
                <TR key={q.jobId} data-host={q.host} data-state={status}>
                  <TD className="tabular-nums">{q.line}</TD>
                  <TD>
                    {status === 'succeeded' ? (
                      <Link href={`/sites/${q.host}`} className="font-medium text-slate-900 hover:underline"><HostName host={q.host} /></Link>
                    ) : (
                      <span className="font-medium text-slate-900"><HostName host={q.host} /></span>
                    )}
                  </TD>
                  <TD>
                    <span className="flex flex-wrap items-center gap-2">
                      <StatusBadge status={status} />
                      {job?.error ? (
                        <span className="text-xs text-red-700">{words.error(job.error, job.errorWords)}</span>
                      ) : job?.step && status !== 'succeeded' ? (
                        <span className="text-xs text-slate-500">{words.step(job.step)}</span>
                      ) : null}
                    </span>
                  </TD>
                  <TD>
                    <Link href={`/jobs/${q.jobId}`} className="text-xs font-medium text-indigo-600 hover:text-indigo-500">{t('log')}</Link>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </div>
  );
}
