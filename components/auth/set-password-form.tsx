'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { Outcome } from './outcome';
import { postJson } from './post-json';

type Phase =
  | { name: 'checking' }
  | { name: 'dead' }
  | { name: 'unreachable'; error: string }
  | { name: 'form'; token: string; email: string }
  | { name: 'done'; signedIn: boolean };

/**
 * The page a mailed link opens. Its token rides in the URL's fragment (never sent to a
 * server, so never in a log); it is checked first, so a spent link says so at once. Once the
 * password is set, the person is signed in with it and lands on their page.
 */
export function SetPasswordForm({ minPassword }: { minPassword: number }) {
  const t = useTranslations('account.set');
  const unreachable = useTranslations('serverErrors')('unreachable');
  const [phase, setPhase] = useState<Phase>({ name: 'checking' });
  const [state, setState] = useState<{ error?: string; field?: string }>();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const token = decodeURIComponent(window.location.hash.replace(/^#/, ''));
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the link's token is in the fragment, readable only once mounted
    if (!token) return setPhase({ name: 'dead' });
    void postJson<{ email: string }>('/api/password/check', { token }, unreachable).then((answer) =>
      setPhase(answer.ok ? { name: 'form', token, email: answer.body.email } : answer.status === 404 ? { name: 'dead' } : { name: 'unreachable', error: answer.error }),
    );
  }, [unreachable]);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (phase.name !== 'form') return;
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) return setState({ field: t('mismatch') });
    setPending(true);
    setState(undefined);
    const answer = await postJson<{ email: string }>('/api/password/set', { token: phase.token, password }, unreachable);
    if (!answer.ok) {
      setPending(false);
      if (answer.status === 404) return setPhase({ name: 'dead' });
      return setState({ error: answer.fields?.password ? undefined : answer.error, field: answer.fields?.password });
    }
    setPhase({ name: 'done', signedIn: false });
    const signed = await signIn('credentials', { redirect: false, email: answer.body.email, password }).catch(() => undefined);
    if (signed?.ok && !signed.error) {
      setPhase({ name: 'done', signedIn: true });
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so every part of the page sees the session change
      window.location.assign('/');
    } else {
      setPending(false);
    }
  }

  if (phase.name === 'checking') return <p className="text-sm text-slate-600" role="status">{t('checking')}</p>;
  if (phase.name === 'unreachable') return <FormMessage state={{ error: phase.error }} />;
  if (phase.name === 'dead') return <Outcome state={{ error: t('deadLink') }} link={{ href: '/forgot-password', label: t('askAgain') }} />;
  if (phase.name === 'done') {
    return <Outcome state={{ message: phase.signedIn ? t('done') : t('doneSignIn') }} link={phase.signedIn ? undefined : { href: '/login', label: t('signIn') }} />;
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={t('title')}>
      <p className="text-sm text-slate-700" data-testid="set-password-for">{t('titleFor', { email: phase.email })}</p>
      {/* The address, for the browser's password manager to file the new password under. */}
      <input type="email" name="username" autoComplete="username" value={phase.email} readOnly hidden />
      <Field label={t('password')} htmlFor="password" hint={t('hint', { min: minPassword })} error={state?.field}>
        <Input id="password" name="password" type="password" autoComplete="new-password" required minLength={minPassword} autoFocus />
      </Field>
      <Field label={t('confirm')} htmlFor="confirm">
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required minLength={minPassword} />
      </Field>
      <FormMessage state={{ error: state?.error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
