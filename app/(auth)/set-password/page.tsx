import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AuthShell } from '@/components/auth/auth-shell';
import { SetPasswordForm } from '@/components/auth/set-password-form';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account.set'))('title'), referrer: 'no-referrer' };
}

/** Public on purpose (no login): a mailed single-use link is the authorization, checked by its routes. */
export default async function SetPasswordPage() {
  const t = await getTranslations('account.set');
  return (
    <AuthShell title={t('title')}>
      <SetPasswordForm minPassword={MIN_PASSWORD_LENGTH} />
    </AuthShell>
  );
}
