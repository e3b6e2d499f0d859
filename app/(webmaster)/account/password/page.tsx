import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { accountText } from '@/lib/texts/account';
import { PageHeader } from '@/components/ui/page-header';
import { ChangePasswordForm } from '@/components/account/change-password-form';

const t = accountText.change;

export const metadata: Metadata = { title: t.title };

/** Any signed-in person changes their own password here (linked from the user menu). */
export default async function ChangePasswordPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title={t.title} description={t.intro} />
      <ChangePasswordForm email={user.email} minPassword={MIN_PASSWORD_LENGTH} />
    </>
  );
}
