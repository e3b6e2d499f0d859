'use client';

import { addWebmasterAction, removeWebmasterAction } from '@/app/(admin)/sites/webmaster-actions';
import { ActionButton } from '@/components/ui/action-button';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { TimeAgo } from '@/components/ui/time';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

export interface WebmasterRow {
  email: string;
  name: string | null;
  lastLoginAt: string | null;
}

/** Who looks after a site: each webmaster with a way to remove them, and a form to add one (who gets the welcome mail). */
export function SiteWebmasters({ host, webmasters, canAdd }: { host: string; webmasters: WebmasterRow[]; canAdd: boolean }) {
  const t = useTranslations('site.webmasters');
  const { form: addForm, onSubmit: addSubmit, state: addState, pending: addPending } = useFormAction(addWebmasterAction);
  return (
    <div className="space-y-4">
      {webmasters.length ? (
        <ul className="divide-y divide-slate-100" aria-label={t('card')}>
          {webmasters.map((w) => (
            <li key={w.email} className="flex flex-wrap items-start justify-between gap-3 py-2 text-sm">
              <span className="min-w-0 break-all">
                <span className="font-medium text-slate-900">{w.email}</span>
                {w.name && <span className="text-slate-600"> ({w.name})</span>}
                <span className="block text-xs text-slate-600">
                  {w.lastLoginAt ? <>{t('lastLogin')} <TimeAgo date={w.lastLoginAt} /></> : t('neverSignedIn')}
                </span>
              </span>
              <ActionButton action={removeWebmasterAction} fields={{ host, email: w.email }} label={t('remove')} pendingLabel={t('removing')} title={t('removeTitle', { email: w.email })} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">{t('none')}</p>
      )}
      {canAdd && (
        <form ref={addForm} onSubmit={addSubmit} className="space-y-2" aria-label={t('addFor', { host })}>
          <input type="hidden" name="host" value={host} />
          <div className="flex flex-wrap items-end gap-3">
            <Field label={t('addLabel')} htmlFor="webmaster-email" error={addState?.fields?.email} className="min-w-0 flex-1 basis-56">
              <Input id="webmaster-email" name="email" type="email" placeholder="someone@example.org" autoComplete="off" required />
            </Field>
            <Button type="submit" disabled={addPending}>{addPending ? t('adding') : t('add')}</Button>
          </div>
          <p className="text-xs text-slate-600">{t('addHint')}</p>
          <FormMessage state={addState} />
        </form>
      )}
    </div>
  );
}
