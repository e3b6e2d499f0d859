import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { JOB_STATUSES, jobFilterSchema, listJobs } from '@/lib/jobs/query';
import { JobTable } from '@/components/jobs/job-table';
import { StatusFilter } from '@/components/jobs/status-filter';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('jobs'))('title') };
}

export default async function JobsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const t = await getTranslations('jobs');
  const statusLabel = await getTranslations('status');
  const raw = flattenParams(await searchParams);
  const parsed = jobFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : jobFilterSchema.parse({});
  const { jobs, nextBefore } = await listJobs(filter);

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      <StatusFilter statuses={JOB_STATUSES} current={filter.status} basePath="/jobs" />
      {!parsed.success && (
        <p role="alert" className="mb-4 text-sm text-amber-700">
          {t('notUnderstood')}
        </p>
      )}
      {jobs.length === 0 ? (
        <EmptyState title={filter.status ? t('noneWith', { status: statusLabel('label', { status: filter.status }) }) : t('none')}>
          {filter.before
            ? t('noOlder')
            : t('noneHint')}
        </EmptyState>
      ) : (
        <JobTable jobs={jobs} />
      )}
      <Pager basePath="/jobs" params={{ status: filter.status }} nextBefore={nextBefore} isFirstPage={!filter.before} />
    </>
  );
}
