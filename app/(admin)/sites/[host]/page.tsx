import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { tell } from '@/lib/i18n/errors';
import { localeOrDefault } from '@/lib/i18n/messages';
import { requireAdmin } from '@/lib/auth/guards';
import { config } from '@/lib/config';
import { PROFILES } from '@/lib/domain/profiles';
import { SiteError } from '@/lib/sites/errors';
import { findSite } from '@/lib/sites/lifecycle';
import { getSiteDetail } from '@/lib/sites/detail';
import { siteAuditTrail } from '@/lib/sites/site-page';
import { checkSitesHealthAction, measureSitesAction, setSiteEnabledAction } from '../actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge, StatusBadge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Detail, Details, None } from '@/components/ui/details';
import { PageHeader } from '@/components/ui/page-header';
import { DateTime } from '@/components/ui/time';
import { DestroySiteForm } from '@/components/sites/destroy-site-form';
import { QueueJobButton } from '@/components/sites/queue-job-button';
import { SiteAddresses } from '@/components/sites/site-addresses';
import { SiteCertificate } from '@/components/sites/site-certificate';
import { tlsUnavailable } from '@/lib/tls/install';
import { acmeEnabled } from '@/lib/tls/request';
import { certificateNames } from '@/lib/tls/records';
import { SiteHealthDetails } from '@/components/sites/site-health-details';
import { SiteSizeDetails } from '@/components/sites/site-size-details';
import { adminUrl, visitUrl } from '@/components/sites/site-links';
import { SiteUpgrade } from '@/components/upgrades/site-upgrade';
import { SiteWebmasters } from '@/components/sites/site-webmasters';
import { SiteDatabaseCard } from '@/components/sites/site-database-card';
import { SitePaths } from '@/components/sites/site-paths';
import { SiteHistory } from '@/components/sites/site-history';
import { ActiveJob } from '@/components/sites/active-job';
import { DisableSiteForm } from '@/components/sites/disable-site-form';
import { HostName } from '@/components/sites/host-name';
import { RefreshWhile } from '@/components/sites/refresh-while';
import { isFinished } from '@/components/jobs/job-status';
import { SiteExports } from '@/components/exports/site-exports';
import { SiteBackups } from '@/components/backups/site-backups';
import { listBackups } from '@/lib/backups/files';
import { backupLink } from '@/lib/backups/download';

type Props = { params: Promise<{ host: string }> };

const RECENT_JOBS = 10;
const AUDIT_EVENTS = 20;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: safeDecode((await params).host) ?? (await getTranslations('site'))('title') };
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export default async function SitePage({ params }: Props) {
  const admin = await requireAdmin();
  const t = await getTranslations('site');
  const tNodes = await getTranslations('nodes.site');
  const asked = safeDecode((await params).host);
  if (!asked) notFound();
  let found;
  try {
    found = await findSite(asked);
  } catch (err) {
    if (err instanceof SiteError) notFound();
    throw err;
  }
  if (found.host !== asked) redirect(`/sites/${found.host}`); // one address per site: the canonical host

  const [site, audit] = await Promise.all([getSiteDetail(found.id, RECENT_JOBS), siteAuditTrail(found.host, AUDIT_EVENTS)]);
  if (!site) notFound(); // destroyed in between
  // Why the front cannot give it a certificate, in the reader's language.
  const noTls = tlsUnavailable(site, site.host);
  const noTlsWords = noTls && tell(localeOrDefault(await getLocale()), noTls);
  const { jobs } = site;
  const provisioning = site.status === 'provisioning';
  const dbInfo = site.database;
  const profile = PROFILES[site.platform.profile] ?? PROFILES.generic;
  const now = new Date();
  const external = buttonClass('secondary');
  const activeJob = jobs.find((j) => !isFinished(j.status));

  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">{t('back')}</Link>
      <PageHeader
        title={<span className="break-all"><HostName host={site.host} /></span>}
        description={<span className="inline-flex items-center gap-2"><StatusBadge status={site.status} /> {t('on', { platform: site.platform.name })}</span>}
        actions={
          <>
            <a href={visitUrl(site.host)} target="_blank" rel="noreferrer" className={external} aria-label={t('visitLabel', { host: site.host })}>
              {t('visit')} ↗
            </a>
            <a href={adminUrl(site.host, profile.adminPath)} target="_blank" rel="noreferrer" className={external} aria-label={t('adminLabel', { host: site.host })} title={t('adminTitle', { application: profile.label, url: adminUrl(site.host, profile.adminPath) })}>
              {t('admin')} ↗
            </a>
            {site.status === 'active' ? (
              <DisableSiteForm host={site.host} />
            ) : site.status === 'disabled' ? (
              <ActionButton action={setSiteEnabledAction} fields={{ host: site.host, enabled: 'true' }} label={t('enable')} pendingLabel={t('enabling')} variant="primary" />
            ) : null}
          </>
        }
      />

      <RefreshWhile active={!!activeJob || provisioning || site.status === 'upgrading'} />
      <div className="space-y-6">
        {activeJob && <ActiveJob job={activeJob} />}
        <Card title={t('title')}>
          <Details>
            <Detail label={t('status')}>
              <StatusBadge status={site.status} />
              {site.disabledAt && site.status === 'disabled' && <span className="ml-2 text-xs text-slate-500">{t('since')} <DateTime date={site.disabledAt} /></span>}
            </Detail>
            <Detail label={t('platform')}>
              {site.platform.name} <span className="text-slate-500">({profile.label}{site.platform.version ? ` ${site.platform.version}` : ''})</span>
              {site.upgradable && <Badge tone="info" className="ml-2">{t('upgradeAvailable')}</Badge>}
            </Detail>
            <Detail label={tNodes('node')}>{site.node ? <span className="font-mono">{site.node}</span> : <None>{tNodes('any')}</None>}</Detail>
            <Detail label={t('addresses')}>
              <a href={visitUrl(site.host)} target="_blank" rel="noreferrer" className="text-indigo-700 hover:underline">{visitUrl(site.host)}</a>
              <span className="block text-xs text-slate-500">
                {t('adminLine')}{' '}
                <a href={adminUrl(site.host, profile.adminPath)} target="_blank" rel="noreferrer" className="hover:underline">{adminUrl(site.host, profile.adminPath)}</a>
              </span>
            </Detail>
            <Detail label={t('created')}><DateTime date={site.createdAt} /></Detail>
            <Detail label={t('lastUpgrade')}>{site.upgradedAt ? <DateTime date={site.upgradedAt} /> : <None>{t('never')}</None>}</Detail>
            <Detail label={t('lastExport')}>{site.lastExportAt ? <DateTime date={site.lastExportAt} /> : <None>{t('never')}</None>}</Detail>
          </Details>
        </Card>

        <Card title={t('webmasters.card')}>
          <SiteWebmasters
            host={site.host}
            webmasters={site.webmasters.map((user) => ({ ...user, lastLoginAt: user.lastLoginAt?.toISOString() ?? null }))}
            canAdd={!provisioning && site.status !== 'trashed'}
          />
        </Card>

        {!provisioning && (
          <Card title={t('addresses')}>
            <SiteAddresses host={site.host} status={site.status} aliases={site.aliases} movedTo={site.redirectTo} />
          </Card>
        )}

        {!provisioning && (
          <SiteCertificate
            host={site.host}
            cert={site.certificate && { ...site.certificate, names: certificateNames(site.certificate) }}
            acme={acmeEnabled()}
            servable={noTlsWords}
            now={now}
          />
        )}

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title={t('sizes')} action={<QueueJobButton action={measureSitesAction} host={site.host} label={t('measureNow')} />}>
            <SiteSizeDetails
              sizes={site.sizes}
              labels={{ img: profile.usage.uploads, local: profile.usage.cache, tmp: profile.usage.tmp }}
              now={now}
            />
          </Card>
          <Card title={t('health')} action={<QueueJobButton action={checkSitesHealthAction} host={site.host} label={t('checkNow')} />}>
            <SiteHealthDetails health={site.health} now={now} />
          </Card>
        </div>

        <SiteUpgrade siteId={found.id} host={site.host} platformId={site.platformId} profile={site.platform.profile} status={site.status} />

        <SiteExports viewer={admin} siteId={found.id} host={site.host} profileName={site.platform.profile} />

        <SiteDatabaseCard site={site} />

        {dbInfo && (
          <Card title={t('backups')}>
            <SiteBackups backups={listBackups(site.host)} keep={config().backupKeep} linkFor={(name) => backupLink(site.host, name, admin.id)} />
          </Card>
        )}

        <SitePaths host={site.host} profile={profile} database={dbInfo} />

        <SiteHistory host={site.host} jobs={jobs} audit={audit} recentJobs={RECENT_JOBS} />

        <Card title={t('destroy')} className="border-red-200">
          {provisioning ? (
            <p className="text-sm text-slate-600">{t('beingCreated')}</p>
          ) : (
            <DestroySiteForm host={site.host} adopted={dbInfo && !dbInfo.createdByMutu && dbInfo.server.engine !== 'sqlite' ? { database: dbInfo.name, user: dbInfo.user } : undefined} />
          )}
        </Card>
      </div>
    </>
  );
}
