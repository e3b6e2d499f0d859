'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import type { SignupAccepted, SignupProgress } from '@/app/_lib/signup-progress';
import { SignupReady } from './signup-ready';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { SignupProgressView } from './signup-progress';

type Values = { host: string; email: string; password: string; code: string };
type Phase = { name: 'form' } | { name: 'creating'; signup: SignupAccepted } | { name: 'ready'; host: string; site?: SignupProgress['site'] };

/**
 * The self-service sign-up: the form, then the creation's progress, then the way in. On a
 * failure the form comes back with what was typed and one generic message.
 */
export function SignupForm({ minPassword }: { minPassword: number }) {
  const t = useTranslations('create');
  const errors = useTranslations('serverErrors');
  const [values, setValues] = useState<Values>({ host: '', email: '', password: '', code: '' });
  const [phase, setPhase] = useState<Phase>({ name: 'form' });
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  const onDone = useCallback((result: SignupProgress) => {
    if (result.status === 'succeeded') {
      setPhase((p) => (p.name === 'creating' ? { name: 'ready', host: p.signup.host, site: result.site } : p));
    } else {
      setError(errors('signupFailed'));
      setPhase({ name: 'form' });
    }
  }, [errors]);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    setFields({});
    try {
      const res = await fetch('/api/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(values),
        cache: 'no-store',
      });
      const body = (await res.json().catch(() => null)) as (Partial<SignupAccepted> & { error?: string; fields?: Record<string, string> }) | null;
      if (res.status === 202 && body?.jobId && body.token && body.host) {
        setPhase({ name: 'creating', signup: { host: body.host, jobId: body.jobId, token: body.token } });
        return;
      }
      setFields(body?.fields ?? {});
      setError(body?.error ?? errors('signupFailed'));
    } catch {
      setError(errors('unreachable'));
    } finally {
      setPending(false);
    }
  }

  if (phase.name === 'creating') return <SignupProgressView signup={phase.signup} onDone={onDone} />;

  if (phase.name === 'ready') return <SignupReady host={phase.host} email={values.email} site={phase.site} />;

  const set = (name: keyof Values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value }));
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={t('submit')}>
      <Field label={t('host')} htmlFor="host" hint={t('hostHint')} error={fields.host}>
        <Input id="host" name="host" value={values.host} onChange={set('host')} required autoComplete="off" spellCheck={false} autoFocus placeholder={t('hostPlaceholder')} />
      </Field>
      <Field label={t('email')} htmlFor="email" hint={t('emailHint')} error={fields.email}>
        <Input id="email" name="email" type="email" value={values.email} onChange={set('email')} required autoComplete="email" />
      </Field>
      <Field label={t('password')} htmlFor="password" hint={t('passwordHint', { min: minPassword })} error={fields.password}>
        <Input id="password" name="password" type="password" value={values.password} onChange={set('password')} required minLength={minPassword} autoComplete="new-password" />
      </Field>
      <Field label={t('code')} htmlFor="code" hint={t('codeHint')} error={fields.code}>
        <Input id="code" name="code" value={values.code} onChange={set('code')} required autoComplete="off" spellCheck={false} className="font-mono" />
      </Field>
      <FormMessage state={{ error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
