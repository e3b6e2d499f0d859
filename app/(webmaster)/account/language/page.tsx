import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireUser } from '@/lib/auth/guards';
import { PageHeader } from '@/components/ui/page-header';
import { LanguageForm } from '@/components/account/language-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account.languagePage'))('title') };
}

/** Any signed-in person chooses their own language here (linked from the user menu). */
export default async function LanguagePage() {
  const user = await requireUser();
  const t = await getTranslations('account.languagePage');
  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      <LanguageForm current={user.locale} />
    </>
  );
}
