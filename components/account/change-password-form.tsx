'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { changePasswordAction } from '@/app/(webmaster)/account/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';

/**
 * Changing one's own password ends every session of the account, this one too: once the
 * server took it, this browser signs in again with the new password, so the person stays in.
 */
export function ChangePasswordForm({ email, minPassword }: { email: string; minPassword: number }) {
  const t = useTranslations('account.change');
  const tSet = useTranslations('account.set');
  const [mismatch, setMismatch] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const { state, pending, form, onSubmit } = useFormAction(changePasswordAction, {
    afterEach: (s) => {
      if (!s.ok || !s.fields?.email) return;
      void signIn('credentials', { redirect: false, email: s.fields.email, password: newPassword }).then((r) => {
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so every part of the page sees the session change
        if (!r?.ok || r.error) window.location.assign('/login');
      });
    },
  });

  return (
    <form
      ref={form}
      aria-label={t('title')}
      className="max-w-sm space-y-4"
      onSubmit={(e) => {
        const data = new FormData(e.currentTarget);
        const differ = data.get('password') !== data.get('confirm');
        setMismatch(differ);
        if (differ) return e.preventDefault();
        setNewPassword(String(data.get('password') ?? ''));
        onSubmit(e);
      }}
    >
      {/* The address, for the browser's password manager to file the new password under. */}
      <input type="email" name="username" autoComplete="username" hidden readOnly value={email} />
      <Field label={t('current')} htmlFor="current">
        <Input id="current" name="current" type="password" autoComplete="current-password" required />
      </Field>
      <Field label={t('password')} htmlFor="password" hint={tSet('hint', { min: minPassword })} error={state?.fields?.password}>
        <Input id="password" name="password" type="password" autoComplete="new-password" required minLength={minPassword} />
      </Field>
      <Field label={t('confirm')} htmlFor="confirm" error={mismatch ? tSet('mismatch') : undefined}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required minLength={minPassword} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
