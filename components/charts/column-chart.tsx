import { useLocale } from 'next-intl';
import { formatNumber } from '@/lib/domain/format';
import { ChartFrame } from './chart-frame';
import { clip, niceMax } from './scale';

export interface Column {
  label: string;
  value: number;
  /** extra words for the bar's tooltip */
  note?: string;
}

const W = 500;
const H = 220;
const PAD = { top: 18, right: 8, bottom: 34, left: 44 };

/**
 * Vertical bars, one per label (sites per platform). An SVG drawn on the server: a <title>
 * and <desc> for the whole chart, one <title> per bar, and the numbers as a table below.
 */
export function ColumnChart({ id, title, description, columns, valueLabel, format: given }: {
  id: string;
  title: string;
  description: string;
  columns: Column[];
  valueLabel: string;
  format?: (n: number) => string;
}) {
  const locale = useLocale();
  const format = given ?? ((n: number) => formatNumber(n, locale));
  const top = niceMax(Math.max(0, ...columns.map((c) => c.value)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, columns.length);
  const barW = Math.min(56, slot * 0.62);
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const maxChars = Math.max(4, Math.floor(slot / 6.6));

  return (
    <ChartFrame table={{ caption: title, columns: ['', valueLabel], rows: columns.map((c) => [c.label, format(c.value)]) }}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="h-auto w-full">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} className={f ? 'stroke-slate-200' : 'stroke-slate-300'} strokeDasharray={f ? '3 3' : undefined} />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end" className="fill-slate-400 text-[11px]">
              {format(top * f)}
            </text>
          </g>
        ))}
        {columns.map((c, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const h = Math.max(c.value > 0 ? 1.5 : 0, (c.value / top) * innerH);
          return (
            <g key={c.label}>
              <title>{`${c.label}: ${format(c.value)} ${valueLabel.toLowerCase()}${c.note ? ` (${c.note})` : ''}`}</title>
              <rect x={cx - barW / 2} y={PAD.top + innerH - h} width={barW} height={h} rx={3} className="fill-indigo-500" />
              <text x={cx} y={PAD.top + innerH - h - 5} textAnchor="middle" className="fill-slate-700 text-[11px] font-medium">
                {format(c.value)}
              </text>
              <text x={cx} y={H - PAD.bottom + 16} textAnchor="middle" className="fill-slate-500 text-[11px]">
                {clip(c.label, maxChars)}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
