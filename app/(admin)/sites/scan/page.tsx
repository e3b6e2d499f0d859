import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { activePlatforms } from '@/lib/platforms/service';
import { PageHeader } from '@/components/ui/page-header';
import { ScanPanel } from '@/components/sites/scan-panel';
import { WithJobWords } from '@/components/i18n/with-job-words';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('scan'))('title') };
}

/** Compares the farm folder with the registry, and adopts folders nobody knows. */
export default async function ScanPage() {
  await requireAdmin();
  const t = await getTranslations('scan');
  const platforms = await activePlatforms({ adoptOrder: true });

  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">{t('back')}</Link>
      <PageHeader
        title={t('title')}
        description={t.rich('intro', {
          code: (chunks) => <code className="font-mono text-xs">{chunks}</code>,
          servers: (chunks) => <Link href="/servers" className="font-medium text-indigo-600 hover:text-indigo-500">{chunks}</Link>,
        })}
      />
      <WithJobWords>
        <ScanPanel platforms={platforms.map((p) => ({ name: p.name, profile: p.profile, label: p.version && !p.name.includes(p.version) ? `${p.name} (${p.version})` : p.name }))} />
      </WithJobWords>
    </>
  );
}
