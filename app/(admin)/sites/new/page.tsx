import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { listPlatforms } from '@/lib/platforms/service';
import { knownNodes } from '@/lib/nodes/query';
import { eolState } from '@/lib/domain/eol';
import { Card } from '@/components/ui/card';
import { choiceWords, platformWithServers, serverChoice } from '@/app/_lib/site-choices';
import { PageHeader } from '@/components/ui/page-header';
import { NewSiteForm } from '@/components/sites/new-site-form';
import { CsvBulkCreate } from '@/components/sites/csv/csv-bulk-create';
import { WithJobWords } from '@/components/i18n/with-job-words';
import { CsvHelp } from '@/components/sites/csv/csv-help';
import { siteCsvTemplate } from '@/lib/domain/site-csv';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('newSite'))('title') };
}

export default async function NewSitePage() {
  await requireAdmin();
  const t = await getTranslations('newSite');
  const [platforms, servers, words, nodes] = await Promise.all([listPlatforms(), listServersWithUse(), choiceWords(), knownNodes()]);
  const active = platforms.filter((p) => p.status === 'active');
  const activeServers = servers.filter((s) => s.status === 'active');
  // The service's choice when none is given (the marked default, else the oldest), but never a
  // platform past its end of life: then the next one that is not, or none (the admin chooses).
  const supported = active.filter((p) => eolState(p.eolDate) !== 'past');
  const defaultPlatform = supported.find((p) => p.isDefault) ?? [...supported].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  const choices = active.map((p) => platformWithServers({ ...p, pastEol: eolState(p.eolDate) === 'past' }, activeServers, words));
  const defaultServer = choices.find((c) => c.name === defaultPlatform?.name)?.server ?? activeServers.find((s) => s.isDefault)?.name ?? '';

  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">{t('back')}</Link>
      <PageHeader
        title={t('title')}
        description={t('intro')}
      />
      <Card className="max-w-2xl">
        <NewSiteForm
          platforms={choices}
          defaultPlatform={defaultPlatform?.name ?? ''}
          servers={activeServers.map((s) => serverChoice(s, words))}
          nodes={nodes}
          defaultServer={defaultServer}
        />
      </Card>
      <Card title={t('csv.title')} className="mt-6 max-w-4xl">
        <div className="space-y-6">
          <CsvHelp template={siteCsvTemplate({ platform: defaultPlatform?.name ?? '', server: defaultServer })} />
          <WithJobWords>
            <CsvBulkCreate />
          </WithJobWords>
        </div>
      </Card>
    </>
  );
}
