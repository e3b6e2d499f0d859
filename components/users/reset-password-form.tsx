'use client';

import { useActionState } from 'react';
import { resetPasswordAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';
import { OneTimePassword } from './one-time-password';
import { useTranslations } from 'next-intl';

export function ResetPasswordForm({ email }: { email: string }) {
  const t = useTranslations('users.reset');
  const [state, dispatch, pending] = useActionState(resetPasswordAction, undefined);
  return (
    <form action={dispatch} className="space-y-3" aria-label={t('label', { email })}>
      <input type="hidden" name="email" value={email} />
      <p className="text-sm text-slate-600">{t('what')}</p>
      {state?.password ? <OneTimePassword email={state.email} password={state.password} /> : <FormMessage state={state} />}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t('resetting') : t('submit')}
      </Button>
    </form>
  );
}
