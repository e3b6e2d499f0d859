import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/auth/auth-shell';
import { ForgotPasswordForm } from '@/components/auth/forgot-password-form';
import { accountText } from '@/lib/texts/account';

const t = accountText.forgot;

export const metadata: Metadata = { title: t.title };

/** Public on purpose (no login): asks for a link to choose a new password. Shows nothing from the registry. */
export default function ForgotPasswordPage() {
  return (
    <AuthShell title={t.title} intro={t.intro} footer={<Link href="/login" className="font-medium text-indigo-700 hover:underline">{t.back}</Link>}>
      <ForgotPasswordForm />
    </AuthShell>
  );
}
