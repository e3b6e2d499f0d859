'use client';

import { useActionState, useState } from 'react';
import { setSiteEnabledAction } from '@/app/(admin)/sites/actions';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';
import { useTranslations } from 'next-intl';
import { useTypedConfirm } from './typed-confirm';

/** "Disable…" opens what it does and asks for the host again, as Destroy does. */
export function DisableSiteForm({ host }: { host: string }) {
  const t = useTranslations('site.disable');
  const c = useTranslations('site.confirm');
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState(setSiteEnabledAction, undefined);
  const confirm = useTypedConfirm(host, 'disable-confirm');
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)} aria-expanded={false}>
        {t('open')}
      </Button>
    );
  }
  return (
    <form action={dispatch} aria-label={t('title', { host })} className="w-full max-w-md basis-full space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <input type="hidden" name="host" value={host} />
      <input type="hidden" name="enabled" value="false" />
      <p className="text-sm font-semibold text-slate-900">{t('title', { host })}</p>
      <p className="text-sm text-slate-700">{t('what')}</p>
      {confirm.field}
      <FormMessage state={state} />
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={pending || !confirm.confirmed}>{pending ? t('pending') : t('submit')}</Button>
        <Button variant="ghost" onClick={() => (setOpen(false), confirm.reset())}>{c('cancel')}</Button>
      </div>
    </form>
  );
}
