import Link from 'next/link';
import type { JobSummary } from '@/lib/jobs/query';
import { formatDuration } from '@/lib/domain/format';
import { StatusBadge } from '@/components/ui/badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { useLocale, useTranslations } from 'next-intl';
import { jobDurationMs, progressTone } from './job-status';
import { useJobWords } from './job-words';
import { JobTarget } from './job-target';

export function JobTable({ jobs, now = new Date() }: { jobs: JobSummary[]; now?: Date }) {
  const t = useTranslations('jobs.table');
  const words = useJobWords();
  const locale = useLocale();
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('kind')}</TH>
          <TH>{t('target')}</TH>
          <TH>{t('status')}</TH>
          <TH>{t('step')}</TH>
          <TH className="w-40">{t('progress')}</TH>
          <TH>{t('created')}</TH>
          <TH>{t('duration')}</TH>
        </tr>
      </THead>
      <TBody>
        {jobs.map((job) => (
          <TR key={job.id}>
            <TD>
              <Link href={`/jobs/${job.id}`} className="font-mono text-xs font-medium text-indigo-700 hover:underline">
                {job.kind}
              </Link>
            </TD>
            <TD className="max-w-56 truncate"><JobTarget job={job} /></TD>
            <TD><StatusBadge status={job.status} /></TD>
            <TD className="max-w-48 truncate text-slate-600" title={job.step ?? undefined}>{job.step ? words.step(job.step) : <span className="text-slate-500">—</span>}</TD>
            <TD><ProgressBar fraction={job.progress} tone={progressTone(job.status)} label={t('progressOf', { kind: job.kind })} /></TD>
            <TD><TimeAgo date={job.createdAt} now={now} /></TD>
            <TD className="tabular-nums text-slate-600">{formatDuration(jobDurationMs(job, now), locale)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
