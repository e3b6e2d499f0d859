import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { currentUser } from '@/lib/auth/guards';
import { AuthShell } from '@/components/auth/auth-shell';
import { LoginForm } from '@/components/auth/login-form';
import { LanguageSwitch } from '@/components/i18n/language-switch';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('login'))('title') };
}
export const dynamic = 'force-dynamic';

/** Open to everyone; a signed-in visitor goes straight to their landing page. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  if (await currentUser()) redirect('/');
  // next-auth sends its own failures here as ?error=...
  const { error } = flattenParams(await searchParams);
  const t = await getTranslations('login');
  const forgot = await getTranslations('account.forgot');

  return (
    <AuthShell
      title={t('title')}
      intro={t('intro')}
      footer={
        <>
          <p>
            {t('haveCode')} <Link href="/create" className="font-medium text-indigo-700 hover:underline">{t('createSite')}</Link>
          </p>
          <LanguageSwitch />
        </>
      }
    >
      <LoginForm initialError={error} />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-indigo-700 hover:underline">{forgot('loginLink')}</Link>
      </p>
    </AuthShell>
  );
}
