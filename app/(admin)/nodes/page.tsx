import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { nodesAtAGlance } from '@/lib/nodes/query';
import { PageHeader } from '@/components/ui/page-header';
import { NodeCards, NoWorkerYet } from '@/components/nodes/node-table';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nodes'))('title') };
}

export default async function NodesPage() {
  await requireAdmin();
  const t = await getTranslations('nodes');
  const view = await nodesAtAGlance();
  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      {view.nodes.length ? <NodeCards view={view} /> : <NoWorkerYet />}
    </>
  );
}
