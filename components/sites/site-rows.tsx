'use client';

import Link from 'next/link';
import { formatBytes } from '@/lib/domain/format';
import { isUnwell } from '@/lib/domain/health';
import { hostForPeople } from '@/lib/domain/idn';
import type { CertificateState } from '@/lib/domain/certificate-dates';
import { badgeClass, statusTone } from '@/components/ui/badge';
import type { DiskValues } from './disk-use';
import type { HealthValues } from './health-badge';
import { useListWords } from './list-words';
import { useSelection } from './selection';
import { diskCell, healthCell, timeAgo, tlsCell } from './site-row-cells';
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
 * once (its values), not once as markup and again as React's description of that markup. A row
 * is plain elements: its words come from one set made for the list (list-words.ts), its cells
 * from plain functions (site-row-cells.tsx), its look from the `site-rows` rules of
 * app/globals.css, so fifty rows cost no component, translator or class list each. Rows of
 * sites that need a look (down, erring, needing install) are tinted.
 */
export function SiteRows({ rows, now, showNode }: { rows: SiteRow[]; now: Date; showNode: boolean }) {
  const w = useListWords();
  const { selected, toggle } = useSelection();
  const never = <span className="quiet">{w.never}</span>;
  const none = <span className="none">—</span>;
  return (
    <tbody className="site-rows">
      {rows.map((s) => {
        const shown = hostForPeople(s.host);
        const visit = visitUrl(s.host);
        const admin = adminUrl(s.host, s.adminPath);
        return (
          <tr key={s.host} data-host={s.host} className={isUnwell(s.health.status) ? (s.health.status === 'down' ? 'down' : 'unwell') : undefined}>
            <td>
              <input type="checkbox" aria-label={w.selectSite(s.host)} checked={selected.has(s.host)} onChange={(e) => toggle(s.host, e.target.checked)} />
            </td>
            <td className="max-w-72">
              {/* The host opens its page here; the site itself and its admin area open in a new tab. */}
              <Link href={sitePageHref(s.host)} className="host" title={shown === s.host ? undefined : s.host}>
                {shown}
              </Link>
              <span className="links">
                <a href={visit} target="_blank" rel="noreferrer" title={w.visitTitle(visit)}>{`${w.visit} ↗`}</a>
                <a href={admin} target="_blank" rel="noreferrer" title={w.adminTitle(admin)}>{`${w.admin} ↗`}</a>
              </span>
            </td>
            {showNode && <td className="whitespace-nowrap font-mono text-xs">{s.node ?? '—'}</td>}
            <td className="whitespace-nowrap">
              <span className="main">{s.platform}</span>
              <span className="sub">{s.release}</span>
              {s.upgradable && <span className={badgeClass('info', 'mt-0.5 px-1.5 py-0 text-[11px]')}>{w.upgradeAvailable}</span>}
            </td>
            <td className="whitespace-nowrap">
              {s.database ? (
                <span title={w.dbOn(s.database.name, s.database.server, s.database.shared)}>
                  <span className="main">{s.database.engine}</span>
                  <span className="num">{formatBytes(s.database.bytes, w.locale)}</span>
                </span>
              ) : (
                none
              )}
            </td>
            <td>{diskCell(s.disk, now, w)}</td>
            <td>{healthCell(s.health, now, w)}</td>
            <td className="tls">{s.tls ? tlsCell(s.tls, w) : none}</td>
            <td>
              <span className={badgeClass(statusTone(s.status))}>{w.status(s.status)}</span>
            </td>
            <td className="when">
              <span title={w.createdTitle}>{timeAgo(s.createdAt, now, w)}</span>
              <span title={w.lastUpgradeTitle}>{s.upgradedAt ? timeAgo(s.upgradedAt, now, w) : never}</span>
            </td>
            <td className="when">{s.lastExportAt ? timeAgo(s.lastExportAt, now, w) : never}</td>
          </tr>
        );
      })}
    </tbody>
  );
}
