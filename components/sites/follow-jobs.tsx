'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { JobActionState } from './job-action-state';

const linkClass = 'font-medium text-indigo-600 hover:text-indigo-500';

/**
 * Where to follow what an action queued: its job, or, when the sites were on several nodes,
 * each node's job by the node's name.
 */
export function FollowJobs({ state, follow }: { state: NonNullable<JobActionState>; follow: string }) {
  const t = useTranslations('nodesMore');
  const jobs = state.jobs ?? (state.jobId ? [{ id: state.jobId, node: null }] : []);
  if (jobs.length === 0) return null;
  if (jobs.length === 1)
    return (
      <Link href={`/jobs/${jobs[0]!.id}`} className={linkClass}>
        {follow}
      </Link>
    );
  return (
    <span>
      {t('followEach', { count: jobs.length })}{' '}
      {jobs.map((j, i) => (
        <span key={j.id}>
          {i > 0 && ' · '}
          <Link href={`/jobs/${j.id}`} className={linkClass}>
            {j.node ?? t('anyNode')}
          </Link>
        </span>
      ))}
    </span>
  );
}
