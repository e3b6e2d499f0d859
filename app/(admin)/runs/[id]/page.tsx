import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/auth/guards';
import { runView } from '@/lib/upgrades/run-view';
import { PageHeader } from '@/components/ui/page-header';
import { RunLive } from '@/components/upgrades/run-live';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Upgrade run' };

export default async function RunPage({ params }: Props) {
  await requireAdmin();
  const run = await runView((await params).id);
  if (!run) notFound();
  return (
    <>
      <Link href="/runs" className="text-sm text-slate-500 hover:text-slate-800">← Runs</Link>
      <PageHeader title={`Upgrade to ${run.to}`} description={`${run.selection}, ${run.totals.total} site(s)`} />
      <RunLive initial={run} />
    </>
  );
}
