import Link from 'next/link';
import type { SiteListQuery } from '@/lib/domain/site-list';
import { buttonClass } from '@/components/ui/button';
import { listHref } from './list-url';
import { PerPageSelect } from './per-page-select';

/** First / previous / next / last, where the list stands, and the page size. */
export function SitePager({ query, pages, total }: { query: SiteListQuery; pages: number; total: number }) {
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
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600" aria-live="polite">
        Page <strong className="font-semibold text-slate-900 tabular-nums">{page.toLocaleString('en')}</strong> of{' '}
        <span className="tabular-nums">{pages.toLocaleString('en')}</span>, <span className="tabular-nums">{total.toLocaleString('en')}</span> site{total === 1 ? '' : 's'}
      </p>
      <div className="flex items-center gap-1.5">
        {step('« First', 1, page > 1)}
        {step('‹ Previous', Math.min(page - 1, pages), page > 1, 'prev')}
        {step('Next ›', page + 1, page < pages, 'next')}
        {step('Last »', pages, page < pages)}
        <span className="ml-2">
          <PerPageSelect value={query.perPage} />
        </span>
      </div>
    </nav>
  );
}
