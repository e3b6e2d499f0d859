'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';

// One message for every failure: it never tells whether the e-mail exists.
const WRONG = 'Wrong e-mail or password.';
const LOCKED = 'Too many failed attempts. Wait 15 minutes and try again.';

export function LoginForm({ initialError }: { initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? messageFor(initialError) : undefined);
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
        setError(messageFor(res?.error));
        setPending(false);
        return;
      }
      router.replace('/');
      router.refresh();
    } catch {
      setError(WRONG);
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Sign in">
      <Field label="E-mail" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <FormMessage state={{ error }} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

function messageFor(error: string | null | undefined): string {
  return error === 'TooManyAttempts' ? LOCKED : WRONG;
}
