import type { ReactNode } from 'react';
import { cx } from './cx';

/** Label/value pairs in a responsive grid. */
export function Details({ children, className }: { children: ReactNode; className?: string }) {
  return <dl className={cx('grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3', className)}>{children}</dl>;
}

export function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-slate-800">{children}</dd>
    </div>
  );
}

/** What a detail shows when there is nothing to show. */
export const None = ({ children = '—' }: { children?: ReactNode }) => <span className="text-slate-500">{children}</span>;
