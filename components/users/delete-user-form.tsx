'use client';

import { useActionState, useState } from 'react';
import { deleteUserAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';

/** Deleting asks for the e-mail again: a slip of the mouse cannot remove someone. */
export function DeleteUserForm({ email }: { email: string }) {
  const [state, dispatch, pending] = useActionState(deleteUserAction, undefined);
  const [typed, setTyped] = useState('');
  const id = `confirm-${email}`;
  return (
    <form action={dispatch} className="space-y-3" aria-label={`Delete ${email}`}>
      <input type="hidden" name="email" value={email} />
      <Field label={`Type ${email} to confirm`} htmlFor={id} hint="The user loses access at once; the audit trail keeps their e-mail.">
        <Input id={id} name="confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== email}>
        {pending ? 'Deleting…' : 'Delete user'}
      </Button>
    </form>
  );
}
