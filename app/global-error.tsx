'use client';

import { createTranslator } from 'next-intl';
import { localeFromAcceptLanguage, DEFAULT_LOCALE } from '@/lib/domain/locale';
import en from '@/messages/en.json';
import fr from '@/messages/fr.json';
import './globals.css';

/**
 * The root layout itself failed: this page has to bring its own html and body, and its own
 * words, since the layout's language provider is what failed. The browser's languages choose.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const locale = (typeof navigator !== 'undefined' && localeFromAcceptLanguage(navigator.languages.join(','))) || DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: locale === 'fr' ? fr : en, namespace: 'errors' });
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <main className="flex min-h-screen items-center justify-center px-4">
          <div className="max-w-md text-center">
            <p className="text-sm font-semibold text-indigo-600">{t('error')}</p>
            <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t('globalTitle')}</h1>
            <p className="mt-3 text-sm text-slate-600">{t('globalBody')}</p>
            {error.digest && <p className="mt-2 font-mono text-xs text-slate-500">{t('reference', { digest: error.digest })}</p>}
            <div className="mt-6 flex justify-center gap-3">
              <button type="button" onClick={() => reset()} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                {t('tryAgain')}
              </button>
              {/* A plain link: a full reload, since the app's own navigation is what failed. */}
              {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full reload is the point here */}
              <a href="/" className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                {t('home')}
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
