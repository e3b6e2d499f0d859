'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { controlRunAction } from '@/app/(admin)/runs/actions';
import { ActionButton } from '@/components/ui/action-button';

/** Pause, resume, cancel, retry the failed sites: only the buttons that make sense now. */
export function RunControls({ id, status, failed }: { id: string; status: string; failed: number }) {
  const t = useTranslations('runs.controls');
  const final = ['succeeded', 'partial', 'failed', 'cancelled'].includes(status);
  // The live view stops polling a finished run: a resume or a retry must wake it up.
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['run', id] });
  return (
    <div className="flex flex-wrap items-start gap-2">
      {status === 'running' && <ActionButton action={controlRunAction} fields={{ id, action: 'pause' }} onDone={refresh} label={t('pause')} pendingLabel={t('pausing')} title={t('pauseTitle')} />}
      {status === 'paused' && <ActionButton action={controlRunAction} fields={{ id, action: 'resume' }} onDone={refresh} label={t('resume')} pendingLabel={t('resuming')} variant="primary" />}
      {(status === 'paused' || final) && failed > 0 && status !== 'cancelled' && (
        <ActionButton action={controlRunAction} fields={{ id, action: 'retry' }} onDone={refresh} label={t('retry', { n: failed })} pendingLabel={t('retrying')} />
      )}
      {!final && <ActionButton action={controlRunAction} fields={{ id, action: 'cancel' }} onDone={refresh} label={t('cancel')} pendingLabel={t('cancelling')} variant="danger" title={t('cancelTitle')} />}
    </div>
  );
}
