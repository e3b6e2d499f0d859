import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { SiteDetail } from '@/lib/sites/detail';
import type { siteAuditTrail } from '@/lib/sites/site-page';
import { AuditTable } from '@/components/audit/audit-table';
import { SiteJobs } from './site-jobs';

/** The site page's latest jobs and audit trail, each linking to its full list. */
export async function SiteHistory({ host, jobs, audit, recentJobs }: { host: string; jobs: SiteDetail['jobs']; audit: Awaited<ReturnType<typeof siteAuditTrail>>; recentJobs: number }) {
  const t = await getTranslations('site');
  return (
    <>
      <section>
        <div className="mb-2 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900">{t('jobs')}</h2>
          <span className="text-xs text-slate-500">{t('latestJobs', { n: recentJobs })}</span>
        </div>
        <SiteJobs jobs={jobs} />
      </section>

      <section>
        <div className="mb-2 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900">{t('auditTrail')}</h2>
          <Link href={`/audit?site=${encodeURIComponent(host)}`} className="text-xs font-medium text-indigo-600 hover:text-indigo-500">{t('fullAudit')}</Link>
        </div>
        {audit.length ? <AuditTable events={audit} compact /> : <p className="text-sm text-slate-500">{t('noAudit')}</p>}
      </section>
    </>
  );
}
