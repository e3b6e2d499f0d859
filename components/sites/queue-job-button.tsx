'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { useTranslations } from 'next-intl';
import type { JobActionState } from './job-action-state';

type QueueAction = (prev: JobActionState, form: FormData) => Promise<JobActionState>;

/** A button that queues a job for one site ("Measure now", "Check now"), links to it and refreshes the page to show it. */
export function QueueJobButton({ action, host, label, pendingLabel }: { action: QueueAction; host: string; label: string; pendingLabel?: string }) {
  const t = useTranslations('site.confirm');
  const [state, dispatch, pending] = useActionState(action, undefined);
  const router = useRouter();
  // The page shows the new job at once (and the site page follows it live).
  useEffect(() => {
    if (state?.jobId) router.refresh();
  }, [state?.jobId, router]);
  return (
    <form action={dispatch} className="inline-flex flex-col items-end gap-1">
      <input type="hidden" name="hosts" value={host} />
      <Button type="submit" variant="secondary" disabled={pending} className="whitespace-nowrap">
        {pending ? (pendingLabel ?? t('queuing')) : label}
      </Button>
      {state?.error && (
        <p role="alert" className="max-w-64 text-right text-xs text-red-600">
          {state.error}
        </p>
      )}
      {state?.jobId && !state.error && (
        <p role="status" className="text-right text-xs text-slate-600">
          {t('queued')}{' '}
          <Link href={`/jobs/${state.jobId}`} className="font-medium text-indigo-600 hover:text-indigo-500">
            {t('follow')}
          </Link>
        </p>
      )}
    </form>
  );
}
