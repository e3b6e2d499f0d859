'use client';

import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { formatBytes, formatDate } from '@/lib/domain/format';
import { isUnwell } from '@/lib/domain/health';
import { hostForPeople } from '@/lib/domain/idn';
import type { CertificateState } from '@/lib/domain/certificate-dates';
import { Badge, StatusBadge } from '@/components/ui/badge';
import { TimeAgo } from '@/components/ui/time';
import { CertificateBadge } from './certificate-badge';
import { DiskUse, type DiskValues } from './disk-use';
import { HealthBadge, type HealthValues } from './health-badge';
import { RowCheckbox } from './selection';
import { adminUrl, sitePageHref, visitUrl } from './site-links';

/** What one row of the list shows, and nothing else: the page sends these once, as data. */
export interface SiteRow {
  host: string;
  adminPath: string;
  node: string | null;
  platform: string;
  /** the platform's version, or its profile when it has none */
  release: string;
  upgradable: boolean;
  database: { engine: string; name: string; server: string; shared: boolean; bytes: number | null } | null;
  disk: DiskValues;
  health: HealthValues;
  tls: { state: CertificateState; notAfter: Date; issuer: string; acme: boolean; lastError: string | null } | null;
  status: string;
  createdAt: Date;
  upgradedAt: Date | null;
  lastExportAt: Date | null;
}

/**
 * The rows of a page of the sites list, drawn from the page's data: the server sends each row
 * once (its values), not once as markup and again as React's description of that markup. Cells
 * take their look from the `site-rows` rules of app/globals.css rather than a class list each.
 * Rows of sites that need a look (down, erring, needing install) are tinted.
 */
export function SiteRows({ rows, now, showNode }: { rows: SiteRow[]; now: Date; showNode: boolean }) {
  const t = useTranslations('sites.table');
  const locale = useLocale();
  const never = <span className="quiet">{t('never')}</span>;
  const none = <span className="none">—</span>;
  return (
    <tbody className="site-rows">
      {rows.map((s) => {
        const shown = hostForPeople(s.host);
        return (
          <tr key={s.host} data-host={s.host} className={isUnwell(s.health.status) ? (s.health.status === 'down' ? 'down' : 'unwell') : undefined}>
            <td>
              <RowCheckbox host={s.host} />
            </td>
            <td className="max-w-72">
              {/* The host opens its page here; the site itself and its admin area open in a new tab. */}
              <Link href={sitePageHref(s.host)} className="host" title={shown === s.host ? undefined : s.host}>
                {shown}
              </Link>
              <span className="links">
                <a href={visitUrl(s.host)} target="_blank" rel="noreferrer" title={t('visitTitle', { url: visitUrl(s.host) })}>
                  {t('visit')} ↗
                </a>
                <a href={adminUrl(s.host, s.adminPath)} target="_blank" rel="noreferrer" title={t('adminTitle', { url: adminUrl(s.host, s.adminPath) })}>
                  {t('admin')} ↗
                </a>
              </span>
            </td>
            {showNode && <td className="whitespace-nowrap font-mono text-xs">{s.node ?? '—'}</td>}
            <td className="whitespace-nowrap">
              <span className="main">{s.platform}</span>
              <span className="sub">{s.release}</span>
              {s.upgradable && (
                <Badge tone="info" className="mt-0.5 px-1.5 py-0 text-[11px]">
                  {t('upgradeAvailable')}
                </Badge>
              )}
            </td>
            <td className="whitespace-nowrap">
              {s.database ? (
                <span title={t('dbOn', { name: s.database.name, server: s.database.server, shared: s.database.shared ? 'yes' : 'no' })}>
                  <span className="main">{s.database.engine}</span>
                  <span className="num">{formatBytes(s.database.bytes, locale)}</span>
                </span>
              ) : (
                none
              )}
            </td>
            <td>
              <DiskUse disk={s.disk} now={now} />
            </td>
            <td>
              <HealthBadge health={s.health} now={now} stacked />
            </td>
            <td className="whitespace-nowrap text-xs">
              {s.tls ? (
                <span title={`${t('tlsSource', { acme: s.tls.acme ? 'yes' : 'no' })}${s.tls.lastError ? t('tlsFailed', { error: s.tls.lastError }) : ''}`}>
                  {s.tls.state !== 'ok' && <CertificateBadge state={s.tls.state} className="mb-0.5 px-1.5 py-0 text-[11px]" />}
                  <span className="block tabular-nums text-slate-700">{t('until', { date: formatDate(s.tls.notAfter, locale) })}</span>
                  <span className="block max-w-40 truncate text-slate-500">{s.tls.issuer}</span>
                </span>
              ) : (
                none
              )}
            </td>
            <td>
              <StatusBadge status={s.status} />
            </td>
            <td className="text-xs">
              <span className="block" title={t('createdTitle')}>
                <TimeAgo date={s.createdAt} now={now} />
              </span>
              <span className="block" title={t('lastUpgradeTitle')}>
                {s.upgradedAt ? <TimeAgo date={s.upgradedAt} now={now} /> : never}
              </span>
            </td>
            <td className="text-xs">{s.lastExportAt ? <TimeAgo date={s.lastExportAt} now={now} /> : never}</td>
          </tr>
        );
      })}
    </tbody>
  );
}
