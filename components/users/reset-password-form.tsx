'use client';

import { useActionState } from 'react';
import { resetPasswordAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';
import { OneTimePassword } from './one-time-password';

export function ResetPasswordForm({ email }: { email: string }) {
  const [state, dispatch, pending] = useActionState(resetPasswordAction, undefined);
  return (
    <form action={dispatch} className="space-y-3" aria-label={`Reset the password of ${email}`}>
      <input type="hidden" name="email" value={email} />
      <p className="text-sm text-slate-600">Generates a new strong password and shows it once. The old one stops working at once.</p>
      {state?.password ? <OneTimePassword email={state.email} password={state.password} /> : <FormMessage state={state} />}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Resetting…' : 'Reset password'}
      </Button>
    </form>
  );
}
