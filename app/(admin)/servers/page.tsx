import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { serverAddress } from '@/lib/databases/servers';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { AddServerForm } from '@/components/servers/add-server-form';
import { ServerTable } from '@/components/servers/server-table';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('servers'))('title') };
}

export default async function ServersPage() {
  await requireAdmin();
  const t = await getTranslations('servers');
  const servers = (await listServersWithUse()).map((s) => ({
    id: s.id,
    name: s.name,
    engine: s.engine,
    address: s.engine === 'sqlite' ? t('sqliteAddress') : serverAddress(s),
    sites: s.sites,
    isDefault: s.isDefault,
    status: s.status,
    lastCheckedAt: s.lastCheckedAt,
    lastCheckOk: s.lastCheckOk,
    lastCheckError: s.lastCheckError,
  }));

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
      />
      <ServerTable servers={servers} />
      <Card title={t('addTitle')} className="mt-8">
        <AddServerForm />
      </Card>
    </>
  );
}
