import type { Metadata } from 'next';
import Link from 'next/link';
import { hostForPeople } from '@/lib/domain/idn';
import { redirect } from 'next/navigation';
import { requireAdmin, requireUser } from '@/lib/auth/guards';
import { formatBytes, formatDate } from '@/lib/domain/format';
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

export const metadata: Metadata = { title: 'Overview' };

const cardLink = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';

/** Sites the front answers for (a certificate makes sense for them). */
const servedSites = (byStatus: { status: string; count: number }[]) => byStatus.filter((s) => s.status !== 'provisioning' && s.status !== 'trashed').reduce((n, s) => n + s.count, 0);

export default async function OverviewPage() {
  // "/" is everyone's landing page: webmasters have their own.
  const user = await requireUser();
  if (user.role !== 'admin') redirect('/my');
  await requireAdmin();
  const now = new Date();
  const [data, farm] = await Promise.all([overview(now), farmOverview(now)]);
  // Past first: those need the upgrade now.
  const eolWarnings = farm.platforms.filter((p) => p.sites > 0 && p.eol === 'past').concat(farm.platforms.filter((p) => p.sites > 0 && p.eol === 'soon'));
  const noSites = <p className="text-sm text-slate-500">No sites yet: this fills in as sites are created or adopted.</p>;

  return (
    <>
      <PageHeader title="Overview" description="The farm at a glance." />
      {!probeFront() && <FrontNotice />}
      <CertificateNotice
        expiring={data.certificates.expiring}
        failed={data.certificates.failed}
        without={servedSites(data.sites) - data.certificates.total}
        acme={acmeEnabled()}
        days={EXPIRY_WARNING_DAYS}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Sites" action={<Link className={cardLink} href="/sites">All sites</Link>}>
          {data.siteTotal === 0 ? (
            <p className="text-sm text-slate-500">No sites yet. Sites arrive with provisioning.</p>
          ) : (
            <>
              <dl><Stat label="Sites" value={data.siteTotal.toLocaleString('en')} /></dl>
              <ul className="mt-3 flex flex-wrap gap-2">
                {data.sites.map((s) => (
                  <li key={s.status} className="flex items-center gap-1.5 text-sm text-slate-600">
                    <StatusBadge status={s.status} />
                    <span className="tabular-nums">{s.count.toLocaleString('en')}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title="Users" action={<Link className={cardLink} href="/users">Manage users</Link>}>
          <dl className="grid grid-cols-3 gap-4">
            <Stat label="Total" value={data.users.total} />
            <Stat label="Admins" value={data.users.admins} />
            <Stat label="Webmasters" value={data.users.webmasters} />
          </dl>
        </Card>
        <Card title="Jobs" action={<Link className={cardLink} href="/jobs">All jobs</Link>}>
          <dl className="grid grid-cols-3 gap-4">
            <Stat label="Running" value={data.jobs.running} />
            <Stat label="Queued" value={data.jobs.queued} />
            <Stat label="Failed 24 h" value={data.jobs.failedLastDay} tone={data.jobs.failedLastDay ? 'bad' : 'default'} />
          </dl>
          {data.jobs.failedLastDay > 0 && (
            <Link className={`${cardLink} mt-3 inline-block`} href="/jobs?status=failed">
              See failed jobs →
            </Link>
          )}
        </Card>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Card title="Health" action={<Link className={cardLink} href="/sites?down=1">Sites that need a look</Link>}>
          {data.siteTotal === 0 ? noSites : <HealthSummary farm={farm} now={now} />}
        </Card>
        <Card
          title="Platforms"
          action={<Link className={cardLink} href="/platforms">Manage platforms</Link>}
          className="lg:col-span-2"
        >
          {eolWarnings.length > 0 && (
            <p role="alert" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
              {eolWarnings
                .map((p) => `${p.name} (${p.sites.toLocaleString('en')} site${p.sites === 1 ? '' : 's'}) ${p.eol === 'past' ? 'is past its end of life' : 'reaches its end of life'} on ${formatDate(p.eolDate!)}`)
                .join('; ')}
              : plan the upgrade of their sites.
            </p>
          )}
          {farm.platforms.length === 0 ? (
            <p className="text-sm text-slate-500">
              No platforms yet. <Link className={cardLink} href="/platforms">Register an installed release</Link> to run sites on it.
            </p>
          ) : (
            <>
              <PlatformsTable platforms={farm.platforms} />
              <p className="mt-3 text-xs text-slate-500">
                “Upgrade available”: a newer active release of the same application is installed. End-of-life warnings start 90 days ahead.
              </p>
            </>
          )}
        </Card>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Sites per platform">
          {data.siteTotal === 0 ? (
            noSites
          ) : (
            <ColumnChart
              id="chart-platforms"
              title="Sites per platform"
              description={farm.platforms.map((p) => `${p.name}: ${p.sites}`).join(', ')}
              columns={farm.platforms.filter((p) => p.sites > 0 || p.status === 'active').map((p) => ({ label: p.name, value: p.sites, note: [p.profile, p.version].filter(Boolean).join(' ') }))}
              valueLabel="Sites"
            />
          )}
        </Card>
        <Card title="Growth over 12 months">
          {data.siteTotal === 0 ? (
            noSites
          ) : (
            <LineChart
              id="chart-growth"
              title="Sites in the registry at the end of each month, over the last 12 months"
              description={`From ${farm.growth[0]?.total ?? 0} to ${farm.growth[farm.growth.length - 1]?.total ?? 0} sites.`}
              points={farm.growth.map((g) => ({ month: g.month, value: g.total, added: g.added }))}
              valueLabel="Sites"
            />
          )}
        </Card>
        <Card title="Biggest sites on disk" className="lg:col-span-2" action={<Link className={cardLink} href="/sites?sort=disk">All by disk use</Link>}>
          {farm.biggest.length === 0 ? (
            <p className="text-sm text-slate-500">{data.siteTotal === 0 ? 'No sites yet.' : 'No sizes measured yet: they are measured in the background every few hours.'}</p>
          ) : (
            <BarListChart
              id="chart-disk"
              title={`Disk use of the ${farm.biggest.length} biggest sites`}
              description={farm.biggest.map((b) => `${hostForPeople(b.host)}: ${formatBytes(b.diskBytes)}`).join(', ')}
              rows={farm.biggest.map((b) => ({ label: hostForPeople(b.host), value: b.diskBytes, href: `/sites/${b.host}`, note: b.dbBytes === null ? undefined : formatBytes(b.dbBytes) }))}
              valueLabel="Folder"
              noteLabel="Database"
              format={formatBytes}
            />
          )}
        </Card>
      </div>

      <section className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900">Recent activity</h2>
          <Link className={cardLink} href="/audit">Full audit trail</Link>
        </div>
        {data.recentAudit.length === 0 ? (
          <EmptyState title="No activity yet">Changes made through the dashboard, the API or the CLI appear here.</EmptyState>
        ) : (
          <AuditTable events={data.recentAudit} compact />
        )}
      </section>
    </>
  );
}
