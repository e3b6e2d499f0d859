import { useLocale, useTranslations } from 'next-intl';
import { formatNumber } from '@/lib/domain/format';
import { ChartFrame } from './chart-frame';
import { niceMax } from './scale';

export interface LinePoint {
  /** "2026-03" */
  month: string;
  value: number;
  /** what the month added */
  added: number;
}

const W = 500;
const H = 220;
const PAD = { top: 16, right: 14, bottom: 36, left: 48 };

/**
 * A cumulative total month by month (the farm's growth), from zero so the slope is honest:
 * a line over a light area, a dot per month with its figures in a <title>.
 */
export function LineChart({ id, title, description, points, valueLabel }: { id: string; title: string; description: string; points: LinePoint[]; valueLabel: string }) {
  const t = useTranslations('ui.chart');
  const locale = useLocale();
  const formatCount = (n: number) => formatNumber(n, locale);
  // "2026-03" -> "Mar" / "mars" (the catalogue's select keys cannot start with a digit).
  const monthLabel = (month: string) => t('monthName', { month: `m${month.slice(5, 7)}` });
  const top = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length > 1 ? (i / (points.length - 1)) * innerW : innerW / 2);
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const area = points.length ? `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` : '';

  return (
    <ChartFrame table={{ caption: title, columns: [t('month'), valueLabel, t('added')], rows: points.map((p) => [p.month, formatCount(p.value), `+${formatCount(p.added)}`]) }}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="h-auto w-full">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} className={f ? 'stroke-slate-200' : 'stroke-slate-300'} strokeDasharray={f ? '3 3' : undefined} />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end" className="fill-slate-400 text-[11px]">
              {formatCount(top * f)}
            </text>
          </g>
        ))}
        <path d={area} className="fill-indigo-100/70" />
        <path d={line} fill="none" strokeWidth={2} strokeLinejoin="round" className="stroke-indigo-500" />
        {points.map((p, i) => (
          <g key={p.month}>
            <title>{`${p.month}: ${formatCount(p.value)} ${valueLabel.toLowerCase()} (+${formatCount(p.added)})`}</title>
            {/* a wide invisible target, so the tooltip is easy to reach */}
            <rect x={x(i) - innerW / Math.max(2, points.length) / 2} y={PAD.top} width={innerW / Math.max(2, points.length)} height={innerH} fill="transparent" />
            <circle cx={x(i)} cy={y(p.value)} r={3.5} className="fill-white stroke-indigo-500" strokeWidth={2} />
            <text x={x(i)} y={H - PAD.bottom + 15} textAnchor="middle" className="fill-slate-500 text-[11px]">
              {monthLabel(p.month)}
            </text>
            {(i === 0 || p.month.endsWith('-01')) && (
              <text x={x(i)} y={H - PAD.bottom + 28} textAnchor="middle" className="fill-slate-400 text-[10px]">
                {p.month.slice(0, 4)}
              </text>
            )}
          </g>
        ))}
      </svg>
    </ChartFrame>
  );
}
