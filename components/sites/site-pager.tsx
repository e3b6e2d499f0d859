import Link from 'next/link';
import type { SiteListQuery } from '@/lib/domain/site-list';
import { buttonClass } from '@/components/ui/button';
import { useTranslations } from 'next-intl';
import { listHref } from './list-url';
import { PerPageSelect } from './per-page-select';

/** First / previous / next / last, where the list stands, and the page size. */
export function SitePager({ query, pages, total }: { query: SiteListQuery; pages: number; total: number }) {
  const t = useTranslations('sitesList.pager');
  const page = query.page;
  const step = (label: string, to: number, enabled: boolean, rel?: string) =>
    enabled ? (
      <Link href={listHref(query, { page: to })} rel={rel} className={buttonClass('secondary', 'px-2.5')}>
        {label}
      </Link>
    ) : (
      <span aria-disabled className={buttonClass('secondary', 'cursor-not-allowed px-2.5 opacity-40')}>
        {label}
      </span>
    );
  return (
    <nav aria-label={t('label')} className="mt-4 flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600" aria-live="polite">
        {t.rich('where', {
          page,
          pages,
          total,
          b: (chunks) => <strong className="font-semibold text-slate-900 tabular-nums">{chunks}</strong>,
          num: (chunks) => <span className="tabular-nums">{chunks}</span>,
        })}
      </p>
      <div className="flex flex-wrap items-center gap-1.5">
        {step(t('first'), 1, page > 1)}
        {step(t('previous'), Math.min(page - 1, pages), page > 1, 'prev')}
        {step(t('next'), page + 1, page < pages, 'next')}
        {step(t('last'), pages, page < pages)}
        <span className="sm:ml-2">
          <PerPageSelect value={query.perPage} />
        </span>
      </div>
    </nav>
  );
}
