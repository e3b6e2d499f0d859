import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { formatNumber } from '@/lib/domain/format';
import type { overview } from '@/lib/overview/queries';
import { StatusBadge } from '@/components/ui/badge';
import { Card, Stat } from '@/components/ui/card';
import { cardLink } from './card-link';

/** The overview's first row: sites by status, users by role, jobs running, queued and failed. */
export async function FarmCounts({ data }: { data: Awaited<ReturnType<typeof overview>> }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  return (
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
  );
}
