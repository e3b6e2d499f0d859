import type { SessionUser } from '@/lib/auth/guards';
import { listBackups } from '@/lib/backups/files';
import { backupLink } from '@/lib/backups/download';
import { config } from '@/lib/config';
import { formatBytes } from '@/lib/domain/format';
import { PROFILES, type ProfileName } from '@/lib/domain/profiles';
import { useLocale, useTranslations } from 'next-intl';
import { SiteBackups } from '@/components/backups/site-backups';
import { SiteExports } from '@/components/exports/site-exports';
import { DiskUse } from '@/components/sites/disk-use';
import { HealthBadge } from '@/components/sites/health-badge';
import { useJobWords } from '@/components/jobs/job-words';
import { HostName } from '@/components/sites/host-name';
import { adminUrl, visitUrl } from '@/components/sites/site-links';
import { StatusBadge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Detail, Details, None } from '@/components/ui/details';
import { DateTime } from '@/components/ui/time';

export interface MySiteData {
  id: string;
  host: string;
  status: string;
  createdAt: Date;
  upgradedAt: Date | null;
  diskBytes: bigint | null;
  diskImgBytes: bigint | null;
  diskLocalBytes: bigint | null;
  diskTmpBytes: bigint | null;
  dbBytes: bigint | null;
  sizesMeasuredAt: Date | null;
  healthStatus: string;
  healthCode: number | null;
  healthDetail: string | null;
  healthLatencyMs: number | null;
  healthCheckedAt: Date | null;
  platform: { name: string; profile: string };
}

const num = (v: bigint | null) => (v === null ? null : Number(v));

/** One of a webmaster's sites: its ways in, how it is doing, and their data to take away. */
export function MySite({ site, viewer, now }: { site: MySiteData; viewer: SessionUser; now: Date }) {
  const t = useTranslations('my');
  const words = useJobWords();
  const locale = useLocale();
  const profile = PROFILES[site.platform.profile as ProfileName] ?? PROFILES.generic;
  const backups = listBackups(site.host);
  const link = buttonClass('secondary');
  return (
    <section aria-label={site.host} data-site={site.host} className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="min-w-0 text-base font-semibold break-all text-slate-900"><HostName host={site.host} /></h2>
        <StatusBadge status={site.status} />
        <span className="text-xs text-slate-600">{t('on', { platform: site.platform.name })}</span>
      </div>
      <div className="flex flex-wrap gap-2">
        <a href={visitUrl(site.host)} target="_blank" rel="noreferrer" className={link} aria-label={t('visitLabel', { host: site.host })}>
          {t('visit')} ↗
        </a>
        <a href={adminUrl(site.host, profile.adminPath)} target="_blank" rel="noreferrer" className={link} aria-label={t('adminLabel', { host: site.host })} title={adminUrl(site.host, profile.adminPath)}>
          {t('admin', { application: profile.label })} ↗
        </a>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <Details>
          <Detail label={t('disk')}>
            <DiskUse disk={{ total: num(site.diskBytes), img: num(site.diskImgBytes), local: num(site.diskLocalBytes), tmp: num(site.diskTmpBytes), measuredAt: site.sizesMeasuredAt }} now={now} />
          </Detail>
          <Detail label={t('database')}>{site.dbBytes === null ? <None /> : formatBytes(site.dbBytes, locale)}</Detail>
          <Detail label={t('health')}>
            <HealthBadge health={{ status: site.healthStatus, code: site.healthCode, detail: site.healthDetail && words.line(site.healthDetail), latencyMs: site.healthLatencyMs, checkedAt: site.healthCheckedAt }} now={now} />
          </Detail>
          <Detail label={t('lastUpgrade')}>{site.upgradedAt ? <DateTime date={site.upgradedAt} /> : <None>{t('never')}</None>}</Detail>
          <Detail label={t('created')}><DateTime date={site.createdAt} /></Detail>
        </Details>
      </div>
      <SiteExports viewer={viewer} siteId={site.id} host={site.host} profileName={site.platform.profile} />
      {(config().backupKeep > 0 || backups.length > 0) && (
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-800">{t('backups')}</h3>
          <SiteBackups backups={backups} keep={config().backupKeep} linkFor={(name) => backupLink(site.host, name, viewer.id)} />
        </div>
      )}
    </section>
  );
}
