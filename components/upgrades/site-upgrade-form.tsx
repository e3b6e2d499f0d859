'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { upgradeSiteAction } from '@/app/(admin)/runs/actions';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form';
import { useTypedConfirm } from '@/components/sites/typed-confirm';
import { useTranslations } from 'next-intl';

export interface UpgradeTarget {
  name: string;
  version: string;
}

/**
 * "Upgrade…": newer releases of the site's application are offered; an older one only once
 * the admin asks to go back. Either way the host is typed again before anything is queued.
 */
export function SiteUpgradeForm({ host, current, forward, back }: { host: string; current: UpgradeTarget; forward: UpgradeTarget[]; back: UpgradeTarget[] }) {
  const t = useTranslations('site.upgrade');
  const c = useTranslations('site.confirm');
  const nowOn = current.version ? t('currentVersion', { name: current.name, version: current.version }) : t('current', { name: current.name });
  const [open, setOpen] = useState(false);
  const [goingBack, setGoingBack] = useState(forward.length === 0);
  const [state, dispatch, pending] = useActionState(upgradeSiteAction, undefined);
  const confirm = useTypedConfirm(host, 'upgrade-confirm');
  const choices = goingBack ? back : forward;

  if (!open) {
    return (
      <div className="space-y-1">
        <p className="text-sm text-slate-700">{nowOn}{forward.length === 0 ? ` ${t('noNewer')}` : ''}</p>
        <Button variant={forward.length ? 'primary' : 'secondary'} onClick={() => setOpen(true)}>{t('open')}</Button>
      </div>
    );
  }
  return (
    <form action={dispatch} aria-label={t('submitLabel', { host })} className="space-y-3">
      <input type="hidden" name="host" value={host} />
      {goingBack && <input type="hidden" name="older" value="on" />}
      <p className="text-sm text-slate-700">{nowOn}{forward.length === 0 ? ` ${t('noNewer')}` : ''}</p>
      {back.length > 0 && forward.length > 0 && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={goingBack} onChange={(e) => setGoingBack(e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
          {t('goBack')}
        </label>
      )}
      {goingBack && <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-inset ring-amber-600/25">{t('goBackHint')}</p>}
      <label className="block text-sm">
        <span className="mb-1 block font-medium text-slate-700">{t('to')}</span>
        <Select key={goingBack ? 'back' : 'forward'} name="to" aria-label={t('toLabel')} defaultValue={choices[0]?.name} className="w-full max-w-64">
          {choices.map((c) => <option key={c.name} value={c.name}>{c.name}{c.version ? ` (${c.version})` : ''}</option>)}
        </Select>
      </label>
      <p className="text-xs text-slate-600">{t('what')}</p>
      {confirm.field}
      {state?.error && <p role="alert" className="text-sm text-red-700">{state.error}</p>}
      {state?.jobId && !state.error && (
        <p role="status" className="text-sm text-slate-700">
          {state.message}{' '}
          <Link href={`/jobs/${state.jobId}`} className="font-medium text-indigo-700 hover:underline">{c('follow')}</Link>
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant={goingBack ? 'danger' : 'primary'} disabled={pending || !confirm.confirmed || !choices.length}>
          {pending ? c('queuing') : goingBack ? t('submitBack') : t('submit')}
        </Button>
        <Button variant="ghost" onClick={() => (setOpen(false), confirm.reset())}>{c('cancel')}</Button>
      </div>
    </form>
  );
}
