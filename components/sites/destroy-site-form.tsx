'use client';

import { useActionState, useState } from 'react';
import { destroySiteAction } from '@/app/(admin)/sites/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';

/**
 * Destroying asks for the host again: a slip of the mouse cannot remove a site. An adopted
 * site's database (`adopted`: Mutu did not make it) is kept unless the box is ticked.
 */
export function DestroySiteForm({ host, adopted }: { host: string; adopted?: { database: string; user: string } }) {
  const [state, dispatch, pending] = useActionState(destroySiteAction, undefined);
  const [typed, setTyped] = useState('');
  return (
    <form action={dispatch} className="space-y-3" aria-label={`Destroy ${host}`}>
      <input type="hidden" name="host" value={host} />
      <p className="text-sm text-slate-600">
        {adopted
          ? 'Moves its folder to the farm\u2019s trash, where it is kept for the retention period. Its database and user were not made by Mutu (the site was adopted): they are kept unless you tick the box below.'
          : 'Drops the site\u2019s database and database user, and moves its folder to the farm\u2019s trash, where it is kept for the retention period.'}{' '}
        Whatever another site uses is always kept; the job&apos;s log says what was kept and why. The site stops at once.
      </p>
      {adopted && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="dropDatabase" className="h-4 w-4 rounded border-slate-300" />
          Also drop its database <code className="font-mono text-xs">{adopted.database}</code>
          {adopted.user ? <> and user <code className="font-mono text-xs">{adopted.user}</code></> : null}
        </label>
      )}
      <Field label={`Type ${host} to confirm`} htmlFor="destroy-confirm" className="max-w-md">
        <Input id="destroy-confirm" name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== host}>
        {pending ? 'Destroying…' : 'Destroy site'}
      </Button>
    </form>
  );
}
