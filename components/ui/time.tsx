import { useLocale } from 'next-intl';
import { formatDateTime, formatRelative } from '@/lib/domain/format';

/**
 * A moment shown as "5 min ago", with the exact ISO time on hover. The relative text
 * may differ by a second between server and browser, so hydration is told not to mind.
 */
export function TimeAgo({ date, now }: { date: Date | string | null | undefined; now?: Date }) {
  const locale = useLocale();
  if (!date) return <span className="text-slate-500">—</span>;
  const d = typeof date === 'string' ? new Date(date) : date;
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()} suppressHydrationWarning className="whitespace-nowrap">
      {formatRelative(d, now, locale)}
    </time>
  );
}

/** A moment shown as "2026-11-23 14:05 UTC", with the relative time on hover. */
export function DateTime({ date }: { date: Date | string | null | undefined }) {
  const locale = useLocale();
  if (!date) return <span className="text-slate-500">—</span>;
  const d = typeof date === 'string' ? new Date(date) : date;
  return (
    <time dateTime={d.toISOString()} title={`${d.toISOString()} (${formatRelative(d, undefined, locale)})`} suppressHydrationWarning className="whitespace-nowrap">
      {formatDateTime(d, locale)}
    </time>
  );
}
