import type { ComponentProps } from 'react';
import { cx } from './cx';

/**
 * A table in a bordered box that scrolls sideways on narrow screens. The box is `relative`: a
 * visually hidden header (sr-only, absolutely placed) stays inside it instead of widening the page.
 */
export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="relative max-w-full min-w-0 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className={cx('min-w-full divide-y divide-slate-200 text-sm', className)} {...props} />
    </div>
  );
}

export const THead = ({ className, ...props }: ComponentProps<'thead'>) => <thead className={cx('bg-slate-50', className)} {...props} />;

export const TBody = ({ className, ...props }: ComponentProps<'tbody'>) => (
  <tbody className={cx('divide-y divide-slate-100', className)} {...props} />
);

export const TR = ({ className, ...props }: ComponentProps<'tr'>) => <tr className={cx('hover:bg-slate-50/60', className)} {...props} />;

export const TH = ({ className, ...props }: ComponentProps<'th'>) => (
  <th
    scope="col"
    className={cx('whitespace-nowrap px-3 py-2.5 text-left first:pl-4 last:pr-4 text-xs font-semibold uppercase tracking-wide text-slate-500', className)}
    {...props}
  />
);

export const TD = ({ className, ...props }: ComponentProps<'td'>) => (
  <td className={cx('px-3 py-2.5 align-middle text-slate-700 first:pl-4 last:pr-4', className)} {...props} />
);
