import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { listPlatforms } from '@/lib/platforms/service';
import { Card } from '@/components/ui/card';
import { choiceWords, platformChoice, serverChoice } from '@/app/_lib/site-choices';
import { PageHeader } from '@/components/ui/page-header';
import { ImportSiteForm } from '@/components/imports/import-site-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('importSite'))('title') };
}


export default async function ImportSitePage() {
  await requireAdmin();
  const t = await getTranslations('importSite');
  const [platforms, servers, words] = await Promise.all([listPlatforms(), listServersWithUse(), choiceWords()]);
  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">{t('back')}</Link>
      <PageHeader
        title={t('title')}
        description={t('intro')}
      />
      <Card className="max-w-2xl">
        <ImportSiteForm
          platforms={platforms.filter((p) => p.status === 'active').map((p) => platformChoice(p, words))}
          servers={servers.filter((s) => s.status === 'active').map((s) => serverChoice(s, words))}
        />
      </Card>
    </>
  );
}
