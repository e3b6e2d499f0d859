import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { requireAdmin, requireUser } from '@/lib/auth/guards';
import { EXPIRY_WARNING_DAYS } from '@/lib/domain/certificate-dates';
import { fpmGroupsStatus } from '@/lib/front/fpm-groups';
import { frontIsSetUp } from '@/lib/front/settings';
import { farmOverview } from '@/lib/overview/farm';
import { overview } from '@/lib/overview/queries';
import { probeFront } from '@/lib/sites/probe';
import { acmeEnabled } from '@/lib/tls/request';
import { AuditTable } from '@/components/audit/audit-table';
import { cardLink } from '@/components/overview/card-link';
import { CertificateNotice } from '@/components/overview/certificate-notice';
import { FarmCharts } from '@/components/overview/farm-charts';
import { FarmCounts } from '@/components/overview/farm-counts';
import { FpmGroupsNotice } from '@/components/overview/fpm-groups-notice';
import { FrontNotice } from '@/components/overview/front-notice';
import { HealthAndPlatforms } from '@/components/overview/health-and-platforms';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('overview'))('title') };
}

/** Sites the front answers for (a certificate makes sense for them). */
const servedSites = (byStatus: { status: string; count: number }[]) => byStatus.filter((s) => s.status !== 'provisioning' && s.status !== 'trashed').reduce((n, s) => n + s.count, 0);

export default async function OverviewPage() {
  // "/" is everyone's landing page: webmasters have their own.
  const user = await requireUser();
  if (user.role !== 'admin') redirect('/my');
  await requireAdmin();
  const now = new Date();
  const [data, farm, t] = await Promise.all([overview(now), farmOverview(now), getTranslations('overview')]);

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {!probeFront() && <FrontNotice />}
      {frontIsSetUp() && <FpmGroupsNotice groups={fpmGroupsStatus()} />}
      <CertificateNotice
        expiring={data.certificates.expiring}
        failed={data.certificates.failed}
        without={servedSites(data.sites) - data.certificates.total}
        acme={acmeEnabled()}
        days={EXPIRY_WARNING_DAYS}
      />
      <FarmCounts data={data} />

      <HealthAndPlatforms data={data} farm={farm} now={now} />

      <FarmCharts data={data} farm={farm} />

      <section className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900">{t('recent')}</h2>
          <Link className={cardLink} href="/audit">{t('fullAudit')}</Link>
        </div>
        {data.recentAudit.length === 0 ? (
          <EmptyState title={t('noActivity')}>{t('noActivityHint')}</EmptyState>
        ) : (
          <AuditTable events={data.recentAudit} compact />
        )}
      </section>
    </>
  );
}
