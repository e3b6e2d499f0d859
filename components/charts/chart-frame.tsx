import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';

export interface ChartTable {
  caption: string;
  columns: string[];
  rows: ReactNode[][];
}

/**
 * A chart with its data as a table under a disclosure: the picture for the eye, the numbers
 * for screen readers, copying and exact values.
 */
export function ChartFrame({ children, table }: { children: ReactNode; table: ChartTable }) {
  const t = useTranslations('ui.chart');
  return (
    <figure className="space-y-2">
      {children}
      <details className="group text-xs text-slate-500">
        <summary className="cursor-pointer select-none font-medium hover:text-slate-700">{t('asTable')}</summary>
        <div className="mt-2 max-h-64 overflow-auto rounded-md border border-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-xs">
            <caption className="sr-only">{table.caption}</caption>
            <thead className="bg-slate-50">
              <tr>
                {table.columns.map((c, i) => (
                  <th key={c} scope="col" className={`px-2 py-1.5 font-semibold text-slate-600 ${i ? 'text-right' : 'text-left'}`}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} className={`px-2 py-1 text-slate-700 ${i ? 'text-right tabular-nums' : 'break-all'}`}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
