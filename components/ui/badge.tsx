import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { cx } from './cx';

export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad' | 'accent';

const tones: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  info: 'bg-sky-50 text-sky-700 ring-sky-600/20',
  good: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  warn: 'bg-amber-50 text-amber-800 ring-amber-600/25',
  bad: 'bg-red-50 text-red-700 ring-red-600/20',
  accent: 'bg-indigo-50 text-indigo-700 ring-indigo-600/20',
};

export function Badge({ tone = 'neutral', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <span className={cx('inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap', tones[tone], className)}>
      {children}
    </span>
  );
}

// Job, site and health statuses share one vocabulary of colours.
const statusTones: Record<string, Tone> = {
  queued: 'neutral',
  running: 'info',
  undoing: 'warn',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'neutral',
  provisioning: 'info',
  active: 'good',
  disabled: 'neutral',
  upgrading: 'info',
  moved: 'neutral',
  trashed: 'neutral',
  up: 'good',
  down: 'bad',
  error: 'bad',
  admin: 'accent',
  webmaster: 'neutral',
  preparing: 'info',
  ready: 'good',
  expired: 'neutral',
};

/** The status in the reader's language. */
export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('status');
  return <Badge tone={statusTones[status] ?? 'neutral'}>{t('label', { status })}</Badge>;
}
