import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireUser } from '@/lib/auth/guards';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { PageHeader } from '@/components/ui/page-header';
import { ChangePasswordForm } from '@/components/account/change-password-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account.change'))('title') };
}

/** Any signed-in person changes their own password here (linked from the user menu). */
export default async function ChangePasswordPage() {
  const user = await requireUser();
  const t = await getTranslations('account.change');
  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      <ChangePasswordForm email={user.email} minPassword={MIN_PASSWORD_LENGTH} />
    </>
  );
}
