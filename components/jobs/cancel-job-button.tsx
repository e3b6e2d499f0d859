'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { JobSummary } from '@/lib/jobs/query';
import { Button } from '@/components/ui/button';
import { fetchJson } from './fetch-json';
import { useTranslations } from 'next-intl';

type CancelAnswer = { outcome: string; message: string; job: JobSummary | null };

export function CancelJobButton({ jobId }: { jobId: string }) {
  const t = useTranslations('jobs.cancel');
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () =>
      fetchJson<CancelAnswer>(`/api/jobs/${encodeURIComponent(jobId)}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    onSuccess: (answer) => {
      if (answer.job) client.setQueryData(['job', jobId], answer.job);
      void client.invalidateQueries({ queryKey: ['job', jobId] });
    },
  });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="danger"
        disabled={cancel.isPending}
        title={t('title')}
        onClick={() => cancel.mutate()}
      >
        {cancel.isPending ? t('pending') : t('submit')}
      </Button>
      {cancel.error && <p role="alert" className="text-xs text-red-600">{cancel.error.message}</p>}
      {cancel.data && <p role="status" className="text-xs text-slate-600">{cancel.data.message}</p>}
    </div>
  );
}
