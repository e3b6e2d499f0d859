import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { listPlatforms } from '@/lib/platforms/service';
import { knownNodes } from '@/lib/nodes/query';
import { eolState } from '@/lib/domain/eol';
import { Card } from '@/components/ui/card';
import { platformWithServers, serverChoice } from '@/app/_lib/site-choices';
import { PageHeader } from '@/components/ui/page-header';
import { NewSiteForm } from '@/components/sites/new-site-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('newSite'))('title') };
}

export default async function NewSitePage() {
  await requireAdmin();
  const t = await getTranslations('newSite');
  const [platforms, servers, nodes] = await Promise.all([listPlatforms(), listServersWithUse(), knownNodes()]);
  const active = platforms.filter((p) => p.status === 'active');
  const activeServers = servers.filter((s) => s.status === 'active');
  // The service's choice when none is given (the marked default, else the oldest), but never a
  // platform past its end of life: then the next one that is not, or none (the admin chooses).
  const supported = active.filter((p) => eolState(p.eolDate) !== 'past');
  const defaultPlatform = supported.find((p) => p.isDefault) ?? [...supported].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  const choices = active.map((p) => platformWithServers({ ...p, pastEol: eolState(p.eolDate) === 'past' }, activeServers));

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
          servers={activeServers.map(serverChoice)}
          nodes={nodes}
          defaultServer={choices.find((c) => c.name === defaultPlatform?.name)?.server ?? activeServers.find((s) => s.isDefault)?.name ?? ''}
        />
      </Card>
    </>
  );
}
