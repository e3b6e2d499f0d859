import { ChartFrame } from './chart-frame';
import { clip } from './scale';

export interface BarRow {
  label: string;
  value: number;
  /** where the row's label leads (the site's page) */
  href?: string;
  /** a second figure shown after the value, such as the database size */
  note?: string;
}

const ROW = 30;
const LABEL_CHARS = 44;

/**
 * Horizontal bars with their labels above them (long host names fit), longest first as given.
 * Sized in percentages, so it fills its card at any width without stretching the text.
 */
export function BarListChart({ id, title, description, rows, valueLabel, format, noteLabel }: {
  id: string;
  title: string;
  description: string;
  rows: BarRow[];
  valueLabel: string;
  noteLabel?: string;
  format: (n: number) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ChartFrame
      table={{
        caption: title,
        columns: ['', valueLabel, ...(noteLabel ? [noteLabel] : [])],
        rows: rows.map((r) => [r.label, format(r.value), ...(noteLabel ? [r.note ?? '—'] : [])]),
      }}
    >
      <svg width="100%" height={rows.length * ROW} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="block overflow-visible">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {rows.map((r, i) => {
          const top = i * ROW;
          const pct = `${Math.max(0.5, (r.value / max) * 100).toFixed(2)}%`;
          const label = (
            <text x={0} y={top + 11} className="fill-slate-700 text-[12px]">
              {clip(r.label, LABEL_CHARS)}
            </text>
          );
          return (
            <g key={r.label}>
              <title>{`${r.label}: ${format(r.value)}${r.note ? `, ${noteLabel?.toLowerCase() ?? ''} ${r.note}` : ''}`}</title>
              {r.href ? (
                <a href={r.href} className="hover:[&>text]:fill-indigo-600">
                  {label}
                </a>
              ) : (
                label
              )}
              <text x="100%" y={top + 11} textAnchor="end" className="fill-slate-500 text-[11px] tabular-nums">
                {format(r.value)}
              </text>
              <rect x={0} y={top + 16} width="100%" height={7} rx={3.5} className="fill-slate-100" />
              <rect x={0} y={top + 16} width={pct} height={7} rx={3.5} className="fill-indigo-500" />
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
