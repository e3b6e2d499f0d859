import { formatBytes, formatDate, formatDateTime, formatRelative } from '@/lib/domain/format';
import { badgeClass } from '@/components/ui/badge';
import { CERTIFICATE_TONES } from './certificate-badge';
import { diskSplit } from './disk-use';
import { HEALTH_LOOK, healthNumbers } from './health-badge';
import type { ListWords } from './list-words';
import type { SiteRow } from './site-rows';

/*
 * The sites list's cells that the site page draws as components (DiskUse, HealthBadge, TimeAgo,
 * CertificateBadge): the same texts and looks, drawn by plain functions, with no component, hook
 * or translator per cell of fifty rows. Their look is the `site-rows` rules of app/globals.css.
 */

const asDate = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d);

/** "5 min ago", the exact time on hover; the text may differ by a second in the browser. */
export function timeAgo(date: Date | string, now: Date, w: ListWords) {
  const d = asDate(date);
  const iso = d.toISOString();
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {formatRelative(d, now, w.locale)}
    </time>
  );
}

/** The total, then uploads / computed files / temporary files, dated in the title (as DiskUse). */
export function diskCell(disk: SiteRow['disk'], now: Date, w: ListWords) {
  if (disk.total === null || !disk.measuredAt) return <span className="quiet">{w.notMeasured}</span>;
  const measured = asDate(disk.measuredAt);
  return (
    <span title={w.measured(formatRelative(measured, now, w.locale), formatDateTime(measured, w.locale))} className="disk">
      <span className="total">{formatBytes(disk.total, w.locale)}</span>
      {/* Units that wrap whole, spaced rather than dotted: a wrapped line never starts with a separator. */}
      <span className="split">
        {diskSplit(disk).map(([k, v]) => (
          <span key={k}>{`${k} ${formatBytes(v, w.locale)}`}</span>
        ))}
      </span>
    </span>
  );
}

/** "up" over "200 · 85 ms", what the probe saw and when in the title (as HealthBadge, stacked). */
export function healthCell(health: SiteRow['health'], now: Date, w: ListWords) {
  const look = HEALTH_LOOK[health.status];
  if (!look || !health.checkedAt) return <span className="quiet">{w.notChecked}</span>;
  const checked = asDate(health.checkedAt);
  const numbers = healthNumbers(health);
  const when = w.checked(formatRelative(checked, now, w.locale), formatDateTime(checked, w.locale));
  return (
    <span title={health.detail ? `${health.detail}; ${when}` : when} className="health">
      <span className={badgeClass(look.tone)}>{w.health(look.label)}</span>
      {numbers && <span className="num">{numbers}</span>}
    </span>
  );
}

/** The certificate's state when not valid, its end and issuer; where it comes from in the title. */
export function tlsCell(tls: NonNullable<SiteRow['tls']>, w: ListWords) {
  return (
    <span title={tls.lastError ? w.tlsSource(tls.acme) + w.tlsFailed(tls.lastError) : w.tlsSource(tls.acme)}>
      {tls.state !== 'ok' && <span className={badgeClass(CERTIFICATE_TONES[tls.state], 'mb-0.5 px-1.5 py-0 text-[11px]')}>{w.certificate(tls.state)}</span>}
      <span className="until">{w.until(formatDate(tls.notAfter, w.locale))}</span>
      <span className="issuer">{tls.issuer}</span>
    </span>
  );
}
