import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/guards';
import { JOB_STATUSES, jobFilterSchema, listJobs } from '@/lib/jobs/query';
import { JobTable } from '@/components/jobs/job-table';
import { StatusFilter } from '@/components/jobs/status-filter';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export const metadata: Metadata = { title: 'Jobs' };

export default async function JobsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const raw = flattenParams(await searchParams);
  const parsed = jobFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : jobFilterSchema.parse({});
  const { jobs, nextBefore } = await listJobs(filter);

  return (
    <>
      <PageHeader title="Jobs" description="Every long operation, with its steps and log. Newest first." />
      <StatusFilter statuses={JOB_STATUSES} current={filter.status} basePath="/jobs" />
      {!parsed.success && (
        <p role="alert" className="mb-4 text-sm text-amber-700">
          Some filters in the address were not understood and were ignored.
        </p>
      )}
      {jobs.length === 0 ? (
        <EmptyState title={filter.status ? `No ${filter.status} jobs` : 'No jobs yet'}>
          {filter.before
            ? 'There are no older jobs.'
            : 'Jobs appear here when something long runs: provisioning, upgrades, exports, housekeeping.'}
        </EmptyState>
      ) : (
        <JobTable jobs={jobs} />
      )}
      <Pager basePath="/jobs" params={{ status: filter.status }} nextBefore={nextBefore} isFirstPage={!filter.before} />
    </>
  );
}
