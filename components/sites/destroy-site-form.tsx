'use client';

import { useActionState, useState } from 'react';
import { destroySiteAction } from '@/app/(admin)/sites/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';

/** Destroying asks for the host again: a slip of the mouse cannot remove a site. */
export function DestroySiteForm({ host }: { host: string }) {
  const [state, dispatch, pending] = useActionState(destroySiteAction, undefined);
  const [typed, setTyped] = useState('');
  return (
    <form action={dispatch} className="space-y-3" aria-label={`Destroy ${host}`}>
      <input type="hidden" name="host" value={host} />
      <p className="text-sm text-slate-600">
        Drops the site&apos;s database and database user, and moves its folder to the farm&apos;s trash, where it is kept for the
        retention period. The site stops at once.
      </p>
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
