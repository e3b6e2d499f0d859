import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import { CLIENT_SECTIONS, pickSections } from '@/lib/i18n/client-messages';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Mutu', template: '%s · Mutu' },
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
};

/**
 * The language chosen in i18n/request.ts reaches client components through the provider, with
 * the sections of the catalogue they read (lib/i18n/client-messages.ts), not the whole of it.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [locale, t, messages] = await Promise.all([getLocale(), getTranslations('shell'), getMessages()]);
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        {/* The first stop of the keyboard: straight to the page's content, past the navigation. */}
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-800 focus:shadow-lg focus:ring-2 focus:ring-indigo-600"
        >
          {t('skipLink')}
        </a>
        <NextIntlClientProvider messages={pickSections(messages, CLIENT_SECTIONS)}>
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
