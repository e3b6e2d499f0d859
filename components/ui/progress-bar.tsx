import { useLocale, useTranslations } from 'next-intl';
import { formatPercent } from '@/lib/domain/format';
import { cx } from './cx';

/** fraction in [0, 1]; the tone follows the job's status. */
export function ProgressBar({ fraction, tone = 'accent', className, label }: { fraction: number; tone?: 'accent' | 'good' | 'bad' | 'muted'; className?: string; label?: string }) {
  const t = useTranslations('ui');
  const locale = useLocale();
  const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  const fill = { accent: 'bg-indigo-500', good: 'bg-emerald-500', bad: 'bg-red-500', muted: 'bg-slate-400' }[tone];
  return (
    <div
      role="progressbar"
      aria-label={label ?? t('progress')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      title={formatPercent(fraction, locale)}
      className={cx('h-1.5 w-full overflow-hidden rounded-full bg-slate-200', className)}
    >
      <div className={cx('h-full rounded-full transition-[width] duration-500', fill)} style={{ width: `${percent}%` }} />
    </div>
  );
}
