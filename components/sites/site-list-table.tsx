import { engineLabel } from '@/lib/domain/server';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import type { SiteListItem } from '@/lib/sites/list-query';
import type { SiteListQuery } from '@/lib/domain/site-list';
import { formatBytes, formatDate } from '@/lib/domain/format';
import { Badge, StatusBadge } from '@/components/ui/badge';
import { cx } from '@/components/ui/cx';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { CertificateBadge } from './certificate-badge';
import { DiskUse } from './disk-use';
import { isUnwell } from '@/lib/domain/health';
import { HealthBadge } from './health-badge';
import { RowCheckbox, SelectAllCheckbox } from './selection';
import { adminUrl, sitePageHref, visitUrl } from './site-links';
import { hostForPeople } from '@/lib/domain/idn';
import { DoubleSortHeader, SortHeader } from './sort-header';

const external = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';

function Never() {
  return <span className="text-xs text-slate-500">{useTranslations('sites.table')('never')}</span>;
}

/**
 * One page of the sites list, rendered on the server from cached measures only. Rows of
 * sites that need a look (down, erring, needing install) are tinted so they stand out in a long list.
 */
export function SiteListTable({ sites, query, now, showNode = false }: { sites: SiteListItem[]; query: SiteListQuery; now: Date; showNode?: boolean }) {
  const t = useTranslations('sites.table');
  const tNode = useTranslations('nodes.site');
  const locale = useLocale();
  return (
    <Table>
      <THead>
        <tr>
          <TH className="w-8">
            <SelectAllCheckbox />
          </TH>
          <SortHeader query={query} sort="host">{t('host')}</SortHeader>
          {showNode && <TH>{tNode('node')}</TH>}
          <TH>{t('platform')}</TH>
          <TH>{t('database')}</TH>
          <SortHeader query={query} sort="disk">{t('disk')}</SortHeader>
          <TH>{t('health')}</TH>
          <TH>HTTPS</TH>
          <TH>{t('status')}</TH>
          <DoubleSortHeader query={query} first={['created', t('created')]} second={['upgraded', t('upgraded')]} />
          <TH>{t('export')}</TH>
        </tr>
      </THead>
      <TBody>
        {sites.map((s) => {
          const unwell = isUnwell(s.health.status);
          return (
            <TR key={s.id} data-host={s.host} className={cx(unwell && (s.health.status === 'down' ? 'bg-red-50/70 hover:bg-red-50' : 'bg-amber-50/60 hover:bg-amber-50'))}>
              <TD className={cx('w-8', unwell && (s.health.status === 'down' ? 'border-l-2 border-red-400' : 'border-l-2 border-amber-400'))}>
                <RowCheckbox host={s.host} />
              </TD>
              <TD className="max-w-72">
                {/* The host opens its page here; the site itself and its admin area open in a new tab. */}
                <Link href={sitePageHref(s.host)} className="block truncate font-medium text-slate-900 hover:text-indigo-600 hover:underline" title={s.host}>
                  {hostForPeople(s.host)}
                </Link>
                <span className="mt-0.5 flex gap-3">
                  <a href={visitUrl(s.host)} target="_blank" rel="noreferrer" className={external} title={t('visitTitle', { url: visitUrl(s.host) })}>
                    {t('visit')} ↗
                  </a>
                  <a href={adminUrl(s.host, s.adminPath)} target="_blank" rel="noreferrer" className={external} title={t('adminTitle', { url: adminUrl(s.host, s.adminPath) })}>
                    {t('admin')} ↗
                  </a>
                </span>
              </TD>
              {showNode && <TD className="whitespace-nowrap font-mono text-xs">{s.node ?? '—'}</TD>}
              <TD className="whitespace-nowrap">
                <span className="block text-slate-800">{s.platform.name}</span>
                <span className="block text-xs text-slate-500">{s.platform.version || s.platform.profile}</span>
                {s.upgradable && (
                  <Badge tone="info" className="mt-0.5 px-1.5 py-0 text-[11px]">
                    {t('upgradeAvailable')}
                  </Badge>
                )}
              </TD>
              <TD className="whitespace-nowrap">
                {s.database ? (
                  <span title={t('dbOn', { name: s.database.name, server: s.database.server.name, shared: s.database.shared ? 'yes' : 'no' })}>
                    <span className="block text-slate-800">{engineLabel(s.database.server.engine)}</span>
                    <span className="text-xs tabular-nums text-slate-500">{formatBytes(s.disk.db ?? s.database.sizeBytes, locale)}</span>
                  </span>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </TD>
              <TD>
                <DiskUse disk={s.disk} now={now} />
              </TD>
              <TD>
                <HealthBadge health={s.health} now={now} stacked />
              </TD>
              <TD className="whitespace-nowrap text-xs">
                {s.tls ? (
                  <span title={`${t('tlsSource', { acme: s.tls.source === 'acme' ? 'yes' : 'no' })}${s.tls.lastError ? t('tlsFailed', { error: s.tls.lastError }) : ''}`}>
                    {s.tls.state !== 'ok' && <CertificateBadge state={s.tls.state} className="mb-0.5 px-1.5 py-0 text-[11px]" />}
                    <span className="block tabular-nums text-slate-700">{t('until', { date: formatDate(s.tls.notAfter, locale) })}</span>
                    <span className="block max-w-40 truncate text-slate-500">{s.tls.issuer}</span>
                  </span>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </TD>
              <TD>
                <StatusBadge status={s.status} />
              </TD>
              <TD className="text-xs">
                <span className="block" title={t('createdTitle')}>
                  <TimeAgo date={s.createdAt} now={now} />
                </span>
                <span className="block" title={t('lastUpgradeTitle')}>
                  {s.upgradedAt ? <TimeAgo date={s.upgradedAt} now={now} /> : <Never />}
                </span>
              </TD>
              <TD className="text-xs">{s.lastExportAt ? <TimeAgo date={s.lastExportAt} now={now} /> : <Never />}</TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
