'use client';

import { addAliasAction, moveSiteAction, removeAliasAction } from '@/app/(admin)/sites/address-actions';
import { ActionButton } from '@/components/ui/action-button';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

/** A site's other hosts and its move: each change is checked by the front and applied at once. */
export function SiteAddresses({ host, status, aliases, movedTo }: { host: string; status: string; aliases: { host: string; redirect: boolean }[]; movedTo: string | null }) {
  const t = useTranslations('site.aliases');
  const { form: aliasForm, onSubmit: aliasSubmit, state: aliasState, pending: aliasPending } = useFormAction(addAliasAction);
  const { form: moveForm, onSubmit: moveSubmit, state: moveState, pending: movePending } = useFormAction(moveSiteAction, { keepOnSuccess: true });
  const canMove = ['active', 'disabled', 'moved'].includes(status);
  return (
    <div className="space-y-5">
      <div>
        <h3 className="text-sm font-medium text-slate-700">{t('title')}</h3>
        {aliases.length ? (
          <ul className="mt-2 divide-y divide-slate-100">
            {aliases.map((a) => (
              <li key={a.host} className="flex items-start justify-between gap-3 py-1.5 text-sm">
                <span>
                  {a.host} <span className="text-xs text-slate-500">{a.redirect ? t('redirects') : t('serves')}</span>
                </span>
                <ActionButton action={removeAliasAction} fields={{ host, alias: a.host }} label={t('remove')} pendingLabel={t('removing')} title={t('removeTitle', { alias: a.host })} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-slate-500">{t('none')}</p>
        )}
        <form ref={aliasForm} onSubmit={aliasSubmit} className="mt-3 flex flex-wrap items-end gap-3" aria-label={t('addTo', { host })}>
          <input type="hidden" name="host" value={host} />
          <Field label={t('newAlias')} htmlFor="alias-host" error={aliasState?.fields?.alias} className="min-w-56 flex-1">
            <Input id="alias-host" name="alias" placeholder={`www2.${host}`} autoComplete="off" spellCheck={false} required />
          </Field>
          <label className="flex items-center gap-2 pb-1.5 text-sm text-slate-700">
            <input type="checkbox" name="serve" className="h-4 w-4 rounded border-slate-300" /> {t('serve')}
          </label>
          <Button type="submit" disabled={aliasPending}>{aliasPending ? t('adding') : t('add')}</Button>
        </form>
        <div className="mt-2"><FormMessage state={aliasState} /></div>
      </div>
      {canMove && (
        <form ref={moveForm} onSubmit={moveSubmit} className="space-y-2" aria-label={t('moveLabel', { host })}>
          <input type="hidden" name="host" value={host} />
          <Field label={t('movedTo')} htmlFor="moved-to" hint={t('movedHint')} error={moveState?.fields?.to}>
            <Input id="moved-to" name="to" type="url" defaultValue={movedTo ?? ''} placeholder="https://new.example.org" autoComplete="off" />
          </Field>
          <FormMessage state={moveState} />
          <Button type="submit" disabled={movePending}>{movePending ? t('saving') : movedTo ? t('save') : t('move')}</Button>
        </form>
      )}
    </div>
  );
}
