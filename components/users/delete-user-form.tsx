'use client';

import { useActionState, useState } from 'react';
import { deleteUserAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

/** Deleting asks for the e-mail again: a slip of the mouse cannot remove someone. */
export function DeleteUserForm({ email }: { email: string }) {
  const t = useTranslations('users.delete');
  const [state, dispatch, pending] = useActionState(deleteUserAction, undefined);
  const [typed, setTyped] = useState('');
  const id = `confirm-${email}`;
  return (
    <form action={dispatch} className="space-y-3" aria-label={t('label', { email })}>
      <input type="hidden" name="email" value={email} />
      <Field label={t('confirm', { email })} htmlFor={id} hint={t('hint')}>
        <Input id={id} name="confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== email}>
        {pending ? t('deleting') : t('submit')}
      </Button>
    </form>
  );
}
