'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { accountText } from '@/lib/texts/account';
import { postJson } from './post-json';

const t = accountText.forgot;

/** "Forgot password?": one answer whether an account has the address or not. */
export function ForgotPasswordForm({ initialEmail = '' }: { initialEmail?: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [state, setState] = useState<{ message?: string; error?: string; field?: string }>();
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setState(undefined);
    const answer = await postJson<{ message: string }>('/api/password/forgot', { email });
    setPending(false);
    setState(answer.ok ? { message: answer.body.message } : { error: answer.error, field: answer.fields?.email });
  }

  if (state?.message) {
    return (
      <div className="space-y-4">
        <FormMessage state={{ message: state.message }} />
        <Link href="/login" className="block text-center text-sm font-medium text-indigo-700 hover:underline">
          {t.back}
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={t.title}>
      <Field label={t.email} htmlFor="email" error={state?.field}>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <FormMessage state={{ error: state?.error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t.pending : t.submit}
      </Button>
    </form>
  );
}
