/**
 * Human-readable sizes, durations and times in the reader's language. Pure functions: the
 * same text on the server and in the browser (times are shown in UTC so both sides agree).
 * French writes "1,5 Mio", "3 j 4 h", "il y a 5 min", "23/11/2026", with a non-breaking
 * space before a unit.
 */
import { DEFAULT_LOCALE, type Locale } from './locale';

type DateLike = Date | string | number;

interface Words {
  space: string;
  decimal: string;
  byte: string;
  byteUnits: string[];
  day: string;
  justNow: string;
  days: (n: number) => string;
  ago: (text: string) => string;
  inFuture: (text: string) => string;
  date: (y: number, m: string, d: string) => string;
}

const WORDS: Record<Locale, Words> = {
  en: {
    space: ' ',
    decimal: '.',
    byte: 'B',
    byteUnits: ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
    day: 'd',
    justNow: 'just now',
    days: (n) => (n === 1 ? '1 day' : `${n} days`),
    ago: (t) => `${t} ago`,
    inFuture: (t) => `in ${t}`,
    date: (y, m, d) => `${y}-${m}-${d}`,
  },
  fr: {
    space: '\u00a0',
    decimal: ',',
    byte: 'o',
    byteUnits: ['Kio', 'Mio', 'Gio', 'Tio', 'Pio'],
    day: 'j',
    justNow: 'à l’instant',
    days: (n) => (n === 1 ? '1\u00a0jour' : `${n}\u00a0jours`),
    ago: (t) => `il y a ${t}`,
    inFuture: (t) => `dans ${t}`,
    date: (y, m, d) => `${d}/${m}/${y}`,
  },
};

const toDate = (d: DateLike): Date => (d instanceof Date ? d : new Date(d));

/** 1 KiB = 1024 bytes: "0 B", "512 B", "1.5 KiB", "2.0 GiB". */
export function formatBytes(bytes: number | bigint | null | undefined, locale: Locale = DEFAULT_LOCALE): string {
  if (bytes === null || bytes === undefined) return '—';
  const w = WORDS[locale];
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${Math.round(n)}${w.space}${w.byte}`;
  let value = n / 1024;
  let unit = 0;
  // Also move up when rounding would print "1024.0 KiB".
  while (unit < w.byteUnits.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1).replace('.', w.decimal)}${w.space}${w.byteUnits[unit]}`;
}

const ENGLISH_UNITS = [WORDS.en.byte, ...WORDS.en.byteUnits];

/**
 * The bytes an English size of formatBytes stands for ("2.0 MiB": 2097152), or null for any
 * other text: a stored log line keeps its size in English, and a page says it again in its
 * reader's language (same precision: one decimal of the same unit).
 */
export function parseBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?) ([A-Za-z]+)$/.exec(text);
  const unit = m ? ENGLISH_UNITS.indexOf(m[2]!) : -1;
  return unit < 0 ? null : Number(m![1]) * 1024 ** unit;
}

/** "850 ms", "12 s", "3 min 4 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number | null | undefined, locale: Locale = DEFAULT_LOCALE): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const w = WORDS[locale];
  const unit = (n: number, u: string) => `${n}${w.space}${u}`;
  const join = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small ? `${unit(big, bigUnit)} ${unit(small, smallUnit)}` : unit(big, bigUnit);
  const abs = Math.max(0, ms);
  if (abs < 1000) return unit(Math.round(abs), 'ms');
  const seconds = Math.floor(abs / 1000);
  if (seconds < 60) return unit(seconds, 's');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return join(minutes, 'min', seconds % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return join(hours, 'h', minutes % 60, 'min');
  return join(Math.floor(hours / 24), w.day, hours % 24, 'h');
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", "in 5 min"; older than 30 days: the date. */
export function formatRelative(date: DateLike, now: DateLike = new Date(), locale: Locale = DEFAULT_LOCALE): string {
  const w = WORDS[locale];
  const then = toDate(date);
  const diff = toDate(now).getTime() - then.getTime();
  const abs = Math.abs(diff);
  if (!Number.isFinite(abs)) return '—';
  if (abs < 45_000) return w.justNow;
  const minutes = Math.round(abs / 60_000);
  const hours = Math.floor(abs / 3_600_000);
  const days = Math.floor(abs / 86_400_000);
  let text: string;
  if (minutes < 60) text = `${Math.max(1, minutes)}${w.space}min`;
  else if (hours < 24) text = `${hours}${w.space}h`;
  else if (days <= 30) text = w.days(days);
  else return formatDate(then, locale);
  return diff >= 0 ? w.ago(text) : w.inFuture(text);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-23" (UTC); French "23/11/2026". */
export function formatDate(date: DateLike, locale: Locale = DEFAULT_LOCALE): string {
  const d = toDate(date);
  if (Number.isNaN(d.getTime())) return '—';
  return WORDS[locale].date(d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()));
}

/** "2026-11-23 14:05 UTC". */
export function formatDateTime(date: DateLike, locale: Locale = DEFAULT_LOCALE): string {
  const d = toDate(date);
  if (Number.isNaN(d.getTime())) return '—';
  return `${formatDate(d, locale)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A fraction in [0, 1] as "42 %". */
export function formatPercent(fraction: number, locale: Locale = DEFAULT_LOCALE): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}${WORDS[locale].space}%`;
}

/** A count with the language's digit grouping: "12,345" / "12 345". */
export function formatNumber(n: number, locale: Locale = DEFAULT_LOCALE): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-US').format(n);
}
