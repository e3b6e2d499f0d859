'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { loginRefusal } from '@/lib/domain/limits';

/**
 * One message for every wrong e-mail or password: it never tells whether the e-mail exists.
 * Rate limits and a busy server have their own, built from a code, never from the URL's text.
 */
export function LoginForm({ initialError }: { initialError?: string }) {
  const router = useRouter();
  const t = useTranslations('login');
  const errors = useTranslations('serverErrors');
  const refusalText = (code: string | null | undefined) => {
    const refusal = loginRefusal(code);
    if (refusal.kind === 'busy') return errors('busy');
    if (refusal.kind === 'locked') return 'hours' in refusal.wait ? errors('tooManyHours', { n: refusal.wait.hours }) : errors('tooManyMinutes', { n: refusal.wait.minutes });
    return t('wrongCredentials');
  };
  const [error, setError] = useState(initialError ? refusalText(initialError) : undefined);
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      // next-auth may answer ok with an error set: the error decides.
      if (!res || res.error || !res.ok) {
        setError(refusalText(res?.error));
        setPending(false);
        return;
      }
      router.replace('/');
      router.refresh();
    } catch {
      setError(t('wrongCredentials'));
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label={t('title')}>
      <Field label={t('email')} htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label={t('password')} htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <FormMessage state={{ error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
