import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { AuthShell } from '@/components/auth/auth-shell';
import { LanguageSwitch } from '@/components/i18n/language-switch';
import { SignupForm } from '@/components/signup/signup-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('create'))('title') };
}
export const dynamic = 'force-dynamic';

/**
 * Public on purpose (no login): the self-service page for holders of an activation code.
 * The page itself shows nothing from the registry; the sign-up route does the checks.
 */
export default async function CreatePage() {
  const t = await getTranslations('create');
  return (
    <AuthShell
      title={t('title')}
      intro={t('intro')}
      footer={
        <>
          <p>
            {t('haveAccount')} <Link href="/login" className="font-medium text-indigo-700 hover:underline">{t('signIn')}</Link>
          </p>
          <LanguageSwitch />
        </>
      }
    >
      <SignupForm minPassword={MIN_PASSWORD_LENGTH} />
    </AuthShell>
  );
}
