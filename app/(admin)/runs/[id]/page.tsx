import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { runView } from '@/lib/upgrades/run-view';
import { PageHeader } from '@/components/ui/page-header';
import { RunLive } from '@/components/upgrades/run-live';
import { WithJobWords } from '@/components/i18n/with-job-words';
import { selectionText } from '@/components/upgrades/run-words';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('runs'))('run.metaTitle') };
}

export default async function RunPage({ params }: Props) {
  await requireAdmin();
  const t = await getTranslations('runs');
  const run = await runView((await params).id);
  if (!run) notFound();
  return (
    <>
      <Link href="/runs" className="text-sm text-slate-500 hover:text-slate-800">{t('run.back')}</Link>
      <PageHeader title={t('run.title', { to: run.to })} description={t('run.description', { selection: selectionText(t, run), n: run.totals.total })} />
      <WithJobWords>
        <RunLive initial={run} />
      </WithJobWords>
    </>
  );
}
