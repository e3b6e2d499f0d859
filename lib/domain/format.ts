/**
 * Human-readable sizes, durations and times. Pure functions: the same text on the server
 * and in the browser (times are shown in UTC so both sides agree).
 */

type DateLike = Date | string | number;

const toDate = (d: DateLike): Date => (d instanceof Date ? d : new Date(d));

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1 KiB = 1024 bytes: "0 B", "512 B", "1.5 KiB", "2.0 GiB". */
export function formatBytes(bytes: number | bigint | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${Math.round(n)} B`;
  let value = n / 1024;
  let unit = 0;
  // Also move up when rounding would print "1024.0 KiB".
  while (unit < BYTE_UNITS.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** "850 ms", "12 s", "3 min 4 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.max(0, ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const seconds = Math.floor(abs / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return joinUnits(minutes, 'min', seconds % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return joinUnits(hours, 'h', minutes % 60, 'min');
  return joinUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

const joinUnits = (big: number, bigUnit: string, small: number, smallUnit: string) =>
  small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;

/** "just now", "5 min ago", "3 h ago", "2 days ago", "in 5 min"; older than 30 days: the date. */
export function formatRelative(date: DateLike, now: DateLike = new Date()): string {
  const then = toDate(date);
  const diff = toDate(now).getTime() - then.getTime();
  const abs = Math.abs(diff);
  if (!Number.isFinite(abs)) return '—';
  if (abs < 45_000) return 'just now';
  const minutes = Math.round(abs / 60_000);
  const hours = Math.floor(abs / 3_600_000);
  const days = Math.floor(abs / 86_400_000);
  let text: string;
  if (minutes < 60) text = `${Math.max(1, minutes)} min`;
  else if (hours < 24) text = `${hours} h`;
  else if (days <= 30) text = days === 1 ? '1 day' : `${days} days`;
  else return formatDate(then);
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-23" (UTC). */
export function formatDate(date: DateLike): string {
  const d = toDate(date);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "2026-11-23 14:05 UTC". */
export function formatDateTime(date: DateLike): string {
  const d = toDate(date);
  if (Number.isNaN(d.getTime())) return '—';
  return `${formatDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A fraction in [0, 1] as "42 %". */
export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)} %`;
}
