'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { PASSWORD_LINK_HOURS } from '@/lib/domain/limits';
import { Outcome } from './outcome';
import { postJson } from './post-json';

/** "Forgot password?": one answer whether an account has the address or not. */
export function ForgotPasswordForm({ initialEmail = '' }: { initialEmail?: string }) {
  const t = useTranslations('account.forgot');
  const unreachable = useTranslations('serverErrors')('unreachable');
  const [email, setEmail] = useState(initialEmail);
  const [state, setState] = useState<{ message?: string; error?: string; field?: string }>();
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setState(undefined);
    const answer = await postJson<{ message: string }>('/api/password/forgot', { email }, unreachable);
    setPending(false);
    setState(answer.ok ? { message: t('sent', { hours: PASSWORD_LINK_HOURS }) } : { error: answer.error, field: answer.fields?.email });
  }

  if (state?.message) return <Outcome state={{ message: state.message }} link={{ href: '/login', label: t('back') }} />;
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={t('title')}>
      <Field label={t('email')} htmlFor="email" error={state?.field}>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <FormMessage state={{ error: state?.error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
