'use client';

import { useActionState, useState } from 'react';
import { destroySiteAction } from '@/app/(admin)/sites/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

const code = (chunks: React.ReactNode) => <code className="font-mono text-xs">{chunks}</code>;

/**
 * Destroying asks for the host again: a slip of the mouse cannot remove a site. An adopted
 * site's database (`adopted`: Mutu did not make it) is kept unless the box is ticked.
 */
export function DestroySiteForm({ host, adopted }: { host: string; adopted?: { database: string; user: string } }) {
  const t = useTranslations('site.destroyForm');
  const c = useTranslations('site.confirm');
  const [state, dispatch, pending] = useActionState(destroySiteAction, undefined);
  const [typed, setTyped] = useState('');
  return (
    <form action={dispatch} className="space-y-3" aria-label={t('label', { host })}>
      <input type="hidden" name="host" value={host} />
      <p className="text-sm text-slate-600">
        {adopted ? t('adopted') : t('made')} {t('kept')}
      </p>
      {adopted && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="dropDatabase" className="h-4 w-4 rounded border-slate-300" />
          <span>
            {t.rich('dropDb', { database: adopted.database, code })}
            {adopted.user ? <> {t.rich('andUser', { user: adopted.user, code })}</> : null}
          </span>
        </label>
      )}
      <Field label={c('type', { host })} htmlFor="destroy-confirm" className="max-w-md">
        <Input id="destroy-confirm" name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== host}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
