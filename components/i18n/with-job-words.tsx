import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import { CLIENT_SECTIONS, JOB_WORD_SECTIONS, pickSections } from '@/lib/i18n/client-messages';

/**
 * Around the client components that say a job's stored words or a service's refusal
 * (useWholeCatalogue): the page's client sections and those words' sections, which any page
 * would otherwise carry for nothing.
 */
export async function WithJobWords({ children }: { children: React.ReactNode }) {
  return <NextIntlClientProvider messages={pickSections(await getMessages(), [...new Set([...CLIENT_SECTIONS, ...JOB_WORD_SECTIONS])])}>{children}</NextIntlClientProvider>;
}
