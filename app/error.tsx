'use client';

import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

/** A page failed to render. The details stay in the server log; the digest links the two. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('errors');
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <ErrorScreen
      code={t('error')}
      title={t('title')}
      actions={
        <>
          <Button onClick={() => reset()}>{t('tryAgain')}</Button>
          <ButtonLink href="/">{t('backToDashboard')}</ButtonLink>
        </>
      }
    >
      <p>{t('body')}</p>
      {error.digest && <p className="mt-2 font-mono text-xs text-slate-500">{t('reference', { digest: error.digest })}</p>}
    </ErrorScreen>
  );
}
