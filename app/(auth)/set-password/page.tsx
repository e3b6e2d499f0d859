import type { Metadata } from 'next';
import { AuthShell } from '@/components/auth/auth-shell';
import { SetPasswordForm } from '@/components/auth/set-password-form';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { accountText } from '@/lib/texts/account';

const t = accountText.set;

export const metadata: Metadata = { title: t.title, referrer: 'no-referrer' };

/** Public on purpose (no login): a mailed single-use link is the authorization, checked by its routes. */
export default function SetPasswordPage() {
  return (
    <AuthShell title={t.title}>
      <SetPasswordForm minPassword={MIN_PASSWORD_LENGTH} />
    </AuthShell>
  );
}
