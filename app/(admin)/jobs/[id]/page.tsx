import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { getJobSummary } from '@/lib/jobs/query';
import { readLog } from '@/lib/jobs/queue';
import { JobLive } from '@/components/jobs/job-live';
import { WithJobWords } from '@/components/i18n/with-job-words';
import { JobTarget } from '@/components/jobs/job-target';
import { PageHeader } from '@/components/ui/page-header';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getTranslations('jobs'))('job', { id: (await params).id }) };
}

export default async function JobPage({ params }: Props) {
  await requireAdmin();
  const t = await getTranslations('jobs');
  const { id } = await params;
  const job = await getJobSummary(id);
  if (!job) notFound();
  const log = await readLog(id, 0);

  return (
    <>
      <Link href="/jobs" className="text-sm text-slate-500 hover:text-slate-800">{t('back')}</Link>
      <PageHeader
        title={<span className="font-mono text-xl break-all">{job.kind}</span>}
        description={<>{job.target ? <>{t('on')} <strong className="font-medium text-slate-700"><JobTarget job={job} /></strong> · </> : null}<span className="font-mono text-xs break-all">{job.id}</span></>}
      />
      <WithJobWords>
        <JobLive initialJob={job} initialLog={log} />
      </WithJobWords>
    </>
  );
}
