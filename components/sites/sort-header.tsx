import Link from 'next/link';
import type { SiteListQuery } from '@/lib/domain/site-list';
import { TH } from '@/components/ui/table';
import { useTranslations } from 'next-intl';
import { directionOf, sortHref } from './list-url';

type Sort = SiteListQuery['sort'];

const ariaSort = (query: SiteListQuery, sorts: Sort[]) =>
  sorts.includes(query.sort) ? (directionOf(query) === 'asc' ? 'ascending' : 'descending') : undefined;

/** A link that sorts the list by one column; clicking it again flips the direction. */
export function SortLink({ query, sort, children }: { query: SiteListQuery; sort: Sort; children: string }) {
  const t = useTranslations('sitesList.sort');
  const active = query.sort === sort;
  const dir = directionOf(query);
  return (
    <Link
      href={sortHref(query, sort)}
      scroll={false}
      className={active ? 'text-slate-900 hover:text-indigo-600' : 'hover:text-slate-800'}
      title={active ? t('sorted', { dir }) : t('sortBy', { column: children.toLowerCase() })}
    >
      {children}
      <span aria-hidden className={active ? 'ml-1' : 'ml-1 text-slate-300'}>
        {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
      </span>
    </Link>
  );
}

/** A column header that sorts the list by it. */
export function SortHeader({ query, sort, children, className }: { query: SiteListQuery; sort: Sort; children: string; className?: string }) {
  return (
    <TH aria-sort={ariaSort(query, [sort])} className={className}>
      <SortLink query={query} sort={sort}>
        {children}
      </SortLink>
    </TH>
  );
}

/** A header over two stacked values (created / upgraded), each sortable. */
export function DoubleSortHeader({ query, first, second, className }: { query: SiteListQuery; first: [Sort, string]; second: [Sort, string]; className?: string }) {
  return (
    <TH aria-sort={ariaSort(query, [first[0], second[0]])} className={className}>
      <span className="flex flex-col gap-0.5">
        <SortLink query={query} sort={first[0]}>{first[1]}</SortLink>
        <SortLink query={query} sort={second[0]}>{second[1]}</SortLink>
      </span>
    </TH>
  );
}
