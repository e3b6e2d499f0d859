import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('errors'))('forbiddenTitle') };
}

export default async function Forbidden() {
  const t = await getTranslations('errors');
  return (
    <ErrorScreen code="403" title={t('forbidden')} actions={<ButtonLink href="/" variant="primary">{t('backToStart')}</ButtonLink>}>
      {t('forbiddenBody')}
    </ErrorScreen>
  );
}
