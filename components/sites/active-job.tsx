import Link from 'next/link';
import { formatPercent } from '@/lib/domain/format';
import { useLocale, useTranslations } from 'next-intl';
import { StatusBadge } from '@/components/ui/badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import { useJobWords } from '@/components/jobs/job-words';

/** The job working on a site now, at the top of its page: its step, its progress, and its log a click away. */
export function ActiveJob({ job }: { job: { id: string; kind: string; status: string; step: string | null; progress: number } }) {
  const t = useTranslations('site.activeJob');
  const words = useJobWords();
  const locale = useLocale();
  return (
    <section aria-label={t('title')} className="rounded-lg border border-sky-200 bg-sky-50 p-4" data-testid="active-job">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-mono text-xs text-slate-800">{job.kind}</span>
        <StatusBadge status={job.status} />
        {job.step && <span className="text-slate-700">{t('step', { step: words.step(job.step) })}</span>}
        <span className="tabular-nums text-slate-600">{formatPercent(job.progress, locale)}</span>
        <Link href={`/jobs/${job.id}`} className="ml-auto font-medium text-indigo-700 hover:underline">{t('openLog')}</Link>
      </div>
      <ProgressBar fraction={job.progress} label={t('title')} className="mt-2 h-1.5" />
      <p className="mt-1 text-xs text-slate-600">{t('follows')}</p>
    </section>
  );
}
