import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { hostForPeople } from '@/lib/domain/idn';
import { redirect } from 'next/navigation';
import { requireAdmin, requireUser } from '@/lib/auth/guards';
import { formatBytes, formatDate, formatNumber } from '@/lib/domain/format';
import { farmOverview } from '@/lib/overview/farm';
import { overview } from '@/lib/overview/queries';
import { probeFront } from '@/lib/sites/probe';
import { AuditTable } from '@/components/audit/audit-table';
import { BarListChart } from '@/components/charts/bar-list-chart';
import { ColumnChart } from '@/components/charts/column-chart';
import { LineChart } from '@/components/charts/line-chart';
import { FrontNotice } from '@/components/overview/front-notice';
import { CertificateNotice } from '@/components/overview/certificate-notice';
import { EXPIRY_WARNING_DAYS } from '@/lib/domain/certificates';
import { acmeEnabled } from '@/lib/tls/request';
import { HealthSummary } from '@/components/overview/health-summary';
import { PlatformsTable } from '@/components/overview/platforms-table';
import { StatusBadge } from '@/components/ui/badge';
import { Card, Stat } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('overview'))('title') };
}

const cardLink = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';

/** Sites the front answers for (a certificate makes sense for them). */
const servedSites = (byStatus: { status: string; count: number }[]) => byStatus.filter((s) => s.status !== 'provisioning' && s.status !== 'trashed').reduce((n, s) => n + s.count, 0);

export default async function OverviewPage() {
  // "/" is everyone's landing page: webmasters have their own.
  const user = await requireUser();
  if (user.role !== 'admin') redirect('/my');
  await requireAdmin();
  const now = new Date();
  const [data, farm, t, locale] = await Promise.all([overview(now), farmOverview(now), getTranslations('overview'), getLocale()]);
  const bytes = (n: number | bigint | null) => formatBytes(n, locale);
  // Past first: those need the upgrade now.
  const eolWarnings = farm.platforms.filter((p) => p.sites > 0 && p.eol === 'past').concat(farm.platforms.filter((p) => p.sites > 0 && p.eol === 'soon'));
  const noSites = <p className="text-sm text-slate-500">{t('noSites')}</p>;

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {!probeFront() && <FrontNotice />}
      <CertificateNotice
        expiring={data.certificates.expiring}
        failed={data.certificates.failed}
        without={servedSites(data.sites) - data.certificates.total}
        acme={acmeEnabled()}
        days={EXPIRY_WARNING_DAYS}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t('sites')} action={<Link className={cardLink} href="/sites">{t('allSites')}</Link>}>
          {data.siteTotal === 0 ? (
            <p className="text-sm text-slate-500">{t('noSitesProvisioning')}</p>
          ) : (
            <>
              <dl><Stat label={t('sites')} value={formatNumber(data.siteTotal, locale)} /></dl>
              <ul className="mt-3 flex flex-wrap gap-2">
                {data.sites.map((s) => (
                  <li key={s.status} className="flex items-center gap-1.5 text-sm text-slate-600">
                    <StatusBadge status={s.status} />
                    <span className="tabular-nums">{formatNumber(s.count, locale)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title={t('users')} action={<Link className={cardLink} href="/users">{t('manageUsers')}</Link>}>
          <dl className="grid grid-cols-3 gap-4">
            <Stat label={t('total')} value={data.users.total} />
            <Stat label={t('admins')} value={data.users.admins} />
            <Stat label={t('webmasters')} value={data.users.webmasters} />
          </dl>
        </Card>
        <Card title={t('jobs')} action={<Link className={cardLink} href="/jobs">{t('allJobs')}</Link>}>
          <dl className="grid grid-cols-3 gap-4">
            <Stat label={t('running')} value={data.jobs.running} />
            <Stat label={t('queued')} value={data.jobs.queued} />
            <Stat label={t('failedDay')} value={data.jobs.failedLastDay} tone={data.jobs.failedLastDay ? 'bad' : 'default'} />
          </dl>
          {data.jobs.failedLastDay > 0 && (
            <Link className={`${cardLink} mt-3 inline-block`} href="/jobs?status=failed">
              {t('seeFailed')}
            </Link>
          )}
        </Card>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Card title={t('health')} action={<Link className={cardLink} href="/sites?down=1">{t('needLook')}</Link>}>
          {data.siteTotal === 0 ? noSites : <HealthSummary farm={farm} now={now} />}
        </Card>
        <Card
          title={t('platforms')}
          action={<Link className={cardLink} href="/platforms">{t('managePlatforms')}</Link>}
          className="lg:col-span-2"
        >
          {eolWarnings.length > 0 && (
            <p role="alert" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
              {eolWarnings
                .map((p) => t('eol', { name: p.name, sites: p.sites, past: p.eol === 'past' ? 'yes' : 'no', date: formatDate(p.eolDate!, locale) }))
                .join(locale === 'fr' ? '\u00a0; ' : '; ')}
              {locale === 'fr' ? '\u00a0: ' : ': '}
              {t('eolPlan')}
            </p>
          )}
          {farm.platforms.length === 0 ? (
            <p className="text-sm text-slate-500">
              {t('noPlatforms')} <Link className={cardLink} href="/platforms">{t('registerRelease')}</Link> {t('toRunSites')}
            </p>
          ) : (
            <>
              <PlatformsTable platforms={farm.platforms} />
              <p className="mt-3 text-xs text-slate-500">
                {t('upgradeNote')}
              </p>
            </>
          )}
        </Card>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title={t('perPlatform')}>
          {data.siteTotal === 0 ? (
            noSites
          ) : (
            <ColumnChart
              id="chart-platforms"
              title={t('perPlatform')}
              description={farm.platforms.map((p) => `${p.name}: ${p.sites}`).join(', ')}
              columns={farm.platforms.filter((p) => p.sites > 0 || p.status === 'active').map((p) => ({ label: p.name, value: p.sites, note: [p.profile, p.version].filter(Boolean).join(' ') }))}
              valueLabel={t('sites')}
            />
          )}
        </Card>
        <Card title={t('growth')}>
          {data.siteTotal === 0 ? (
            noSites
          ) : (
            <LineChart
              id="chart-growth"
              title={t('growthTitle')}
              description={t('growthDescription', { from: farm.growth[0]?.total ?? 0, to: farm.growth[farm.growth.length - 1]?.total ?? 0 })}
              points={farm.growth.map((g) => ({ month: g.month, value: g.total, added: g.added }))}
              valueLabel={t('sites')}
            />
          )}
        </Card>
        <Card title={t('biggest')} className="lg:col-span-2" action={<Link className={cardLink} href="/sites?sort=disk">{t('allByDisk')}</Link>}>
          {farm.biggest.length === 0 ? (
            <p className="text-sm text-slate-500">{data.siteTotal === 0 ? t('noSitesShort') : t('noSizes')}</p>
          ) : (
            <BarListChart
              id="chart-disk"
              title={t('diskTitle', { n: farm.biggest.length })}
              description={farm.biggest.map((b) => `${hostForPeople(b.host)}: ${bytes(b.diskBytes)}`).join(', ')}
              rows={farm.biggest.map((b) => ({ label: hostForPeople(b.host), value: b.diskBytes, href: `/sites/${b.host}`, note: b.dbBytes === null ? undefined : bytes(b.dbBytes) }))}
              valueLabel={t('folder')}
              noteLabel={t('database')}
              format={bytes}
            />
          )}
        </Card>
      </div>

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
