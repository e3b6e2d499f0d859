'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES } from '@/lib/domain/locale';
import { cx } from '@/components/ui/cx';

const YEAR_S = 365 * 24 * 3600;

/**
 * The switch of the pages before signing in: remembered in a cookie for this browser (a
 * signed-in user's own setting wins over it), then the page is drawn again in that language.
 */
export function LanguageSwitch() {
  const t = useTranslations('language');
  const current = useLocale();
  const router = useRouter();
  return (
    <nav aria-label={t('switchLabel')} className="flex justify-center gap-1">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          aria-pressed={locale === current}
          onClick={() => {
            document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=${YEAR_S}; samesite=lax`;
            router.refresh();
          }}
          className={cx(
            'rounded-md px-2 py-1 text-xs font-medium',
            locale === current ? 'bg-slate-200 text-slate-900' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
          )}
        >
          {LOCALE_NAMES[locale]}
        </button>
      ))}
    </nav>
  );
}
