'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useTranslations } from 'next-intl';

/** A generated password, shown this once: Mutu keeps only its hash. */
export function OneTimePassword({ email, password }: { email?: string; password: string }) {
  const t = useTranslations('users.oneTime');
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-inset ring-amber-600/25" data-testid="one-time-password">
      <p className="font-medium text-amber-900">{email ? t('titleFor', { email }) : t('title')}</p>
      <div className="mt-2 flex items-center gap-2">
        <code className="select-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-amber-600/25">{password}</code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(password).then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('copy')}
        </Button>
      </div>
      <p className="mt-2 text-xs text-amber-800">
        {t('keep')}
      </p>
    </div>
  );
}
