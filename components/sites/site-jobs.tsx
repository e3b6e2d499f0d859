import Link from 'next/link';
import { formatDuration } from '@/lib/domain/format';
import { StatusBadge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { useJobWords } from '@/components/jobs/job-words';
import { useLocale, useTranslations } from 'next-intl';

export interface SiteJobRow {
  id: string;
  kind: string;
  status: string;
  step: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The latest jobs about one site, each opening its job page and log. */
export function SiteJobs({ jobs }: { jobs: SiteJobRow[] }) {
  const t = useTranslations('site.jobsTable');
  const words = useJobWords();
  const locale = useLocale();
  if (!jobs.length) return <p className="text-sm text-slate-500">{t('none')}</p>;
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('kind')}</TH>
          <TH>{t('status')}</TH>
          <TH>{t('step')}</TH>
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
            <TD><StatusBadge status={job.status} /></TD>
            <TD className="text-slate-600">{job.step ? words.step(job.step) : <span className="text-slate-500">—</span>}</TD>
            <TD><TimeAgo date={job.createdAt} /></TD>
            <TD className="tabular-nums text-slate-600">
              {job.startedAt && job.finishedAt ? formatDuration(job.finishedAt.getTime() - job.startedAt.getTime(), locale) : '—'}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
