import Link from 'next/link';
import { cx } from '@/components/ui/cx';
import { useTranslations } from 'next-intl';

/** Status filter as links: the choice lives in the URL (?status=failed). */
export function StatusFilter({ statuses, current, basePath }: { statuses: readonly string[]; current?: string; basePath: string }) {
  const t = useTranslations('jobs.filter');
  const statusLabel = useTranslations('status');
  const options = [{ value: undefined, label: t('all') }, ...statuses.map((s) => ({ value: s, label: statusLabel('label', { status: s }) }))];
  return (
    <nav aria-label={t('label')} className="mb-4 flex flex-wrap gap-1.5">
      {options.map((o) => {
        const active = o.value === current;
        return (
          <Link
            key={o.label}
            href={o.value ? `${basePath}?status=${o.value}` : basePath}
            aria-current={active ? 'true' : undefined}
            className={cx(
              'rounded-full px-3 py-1 text-xs font-medium capitalize ring-1 ring-inset transition-colors',
              active ? 'bg-indigo-600 text-white ring-indigo-600' : 'bg-white text-slate-600 ring-slate-300 hover:bg-slate-50',
            )}
          >
            {o.label}
          </Link>
        );
      })}
    </nav>
  );
}
