import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('errors'))('notFoundTitle') };
}

export default async function NotFound() {
  const t = await getTranslations('errors');
  return (
    <ErrorScreen code="404" title={t('notFound')} actions={<ButtonLink href="/" variant="primary">{t('backToDashboard')}</ButtonLink>}>
      {t('notFoundBody')}
    </ErrorScreen>
  );
}
