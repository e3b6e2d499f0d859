import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AuthShell } from '@/components/auth/auth-shell';
import { ForgotPasswordForm } from '@/components/auth/forgot-password-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account.forgot'))('title') };
}

/** Public on purpose (no login): asks for a link to choose a new password. Shows nothing from the registry. */
export default async function ForgotPasswordPage() {
  const t = await getTranslations('account.forgot');
  return (
    <AuthShell title={t('title')} intro={t('intro')} footer={<Link href="/login" className="font-medium text-indigo-700 hover:underline">{t('back')}</Link>}>
      <ForgotPasswordForm />
    </AuthShell>
  );
}
