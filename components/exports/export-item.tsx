'use client';

import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect } from 'react';
import type { ExportView } from '@/lib/exports/views';
import { formatPercent } from '@/lib/domain/format';
import { StatusBadge } from '@/components/ui/badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import { DateTime } from '@/components/ui/time';
import { fetchJson } from '@/components/jobs/fetch-json';
import { ExportFiles } from './export-files';
import { useJobWords } from '@/components/jobs/job-words';

/**
 * One export. While it is being prepared it polls /api/exports/<id> every second for its
 * progress, and tells the panel when it is over (the panel then reloads the list).
 */
export function ExportItem({ initial, onSettled }: { initial: ExportView; onSettled: () => void }) {
  const t = useTranslations('exports');
  const locale = useLocale();
  const words = useJobWords();
  const preparing = initial.status === 'preparing';
  const { data: live, error } = useQuery({
    queryKey: ['export', initial.id],
    queryFn: () => fetchJson<ExportView>(`/api/exports/${encodeURIComponent(initial.id)}`),
    initialData: initial,
    enabled: preparing,
    refetchInterval: (q) => (q.state.data?.status === 'preparing' ? 1000 : false),
  });
  const exp = preparing ? live : initial;
  const over = preparing && live.status !== 'preparing';
  useEffect(() => {
    if (over) onSettled();
  }, [over, onSettled]);

  return (
    <li className="py-3" data-export-id={exp.id} data-export-status={exp.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <StatusBadge status={exp.status} />
        <span className="text-slate-700">{exp.format}</span>
        {exp.secrets && <span className="text-xs text-amber-700">{t('withSecrets')}</span>}
        <span className="text-xs text-slate-500">
          {t('created')} <DateTime date={exp.createdAt} />
          {exp.status === 'ready' && <> · {t('expires')} <DateTime date={exp.expiresAt} /></>}
        </span>
      </div>
      {exp.status === 'preparing' && (
        <div className="mt-2">
          <div className="mb-1 flex justify-between text-xs text-slate-600">
            <span role="status">{exp.progressText ? words.progress(exp.progressText) : t('working')}</span>
            <span className="tabular-nums">{formatPercent(exp.progress, locale)}</span>
          </div>
          <ProgressBar fraction={exp.progress} label={t('progress')} />
          {error && <p role="alert" className="mt-1 text-xs text-amber-700">{t('refreshOneFailed', { error: error.message })}</p>}
        </div>
      )}
      {exp.status === 'failed' && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-600/20">
          {t('failed', { error: words.error(exp.error ?? '', exp.errorWords && { words: exp.errorWords, quoted: [] }) })}
        </p>
      )}
      {exp.status === 'expired' && <p className="mt-1 text-xs text-slate-500">{t('expired')}</p>}
      {exp.status === 'ready' && <ExportFiles files={exp.files} />}
    </li>
  );
}
