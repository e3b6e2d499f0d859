/** Small statistics and number formats for the benchmark reports. */

export function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile: the smallest value with at least `p` % of the samples at or below it. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: number[]) => percentile(values, 50);
export const p95 = (values: number[]) => percentile(values, 95);

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** "0.42 ms", "3.4 ms", "812 ms", "1.03 s": enough digits to compare, never more. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${value.toFixed(0)} ms`;
  if (abs >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** "×3.2" */
export function ratio(numerator: number, denominator: number): string {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return '—';
  const r = numerator / denominator;
  return `×${r >= 10 ? r.toFixed(0) : r.toFixed(1)}`;
}

/** "42 %" */
export function share(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return '—';
  return `${Math.round((part / whole) * 100)} %`;
}
