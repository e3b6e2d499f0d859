import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDateTime, formatDuration, formatNumber, formatPercent, formatRelative } from '@/lib/domain/format';

describe('formatBytes', () => {
  it('counts in powers of 1024 with one decimal above a kibibyte', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GiB');
    expect(formatBytes(3n * 1024n ** 4n)).toBe('3.0 TiB');
  });

  it('never prints 1024.0 of a unit', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
  });

  it('shows a dash for unknown or impossible sizes', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('picks the two largest useful units', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration((3 * 60 + 4) * 1000)).toBe('3 min 4 s');
    expect(formatDuration(3 * 60_000)).toBe('3 min');
    expect(formatDuration((2 * 60 + 5) * 60_000)).toBe('2 h 5 min');
    expect(formatDuration((3 * 24 + 4) * 3_600_000)).toBe('3 d 4 h');
  });

  it('treats negative durations as zero and unknown ones as a dash', () => {
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-23T14:05:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('describes the past', () => {
    expect(formatRelative(ago(10_000), now)).toBe('just now');
    expect(formatRelative(ago(5 * 60_000), now)).toBe('5 min ago');
    expect(formatRelative(ago(3 * 3_600_000 + 10 * 60_000), now)).toBe('3 h ago');
    expect(formatRelative(ago(26 * 3_600_000), now)).toBe('1 day ago');
    expect(formatRelative(ago(2 * 86_400_000 + 5_000), now)).toBe('2 days ago');
  });

  it('describes the future', () => {
    expect(formatRelative(ago(-5 * 60_000), now)).toBe('in 5 min');
    expect(formatRelative(ago(-3 * 86_400_000), now)).toBe('in 3 days');
  });

  it('gives the date for anything older than a month', () => {
    expect(formatRelative(ago(90 * 86_400_000), now)).toBe('2026-08-25');
  });

  it('accepts ISO strings', () => {
    expect(formatRelative('2026-11-23T14:00:00Z', now)).toBe('5 min ago');
  });
});

describe('formatDateTime', () => {
  it('prints an ISO-like UTC time', () => {
    expect(formatDateTime(new Date('2026-11-23T14:05:59Z'))).toBe('2026-11-23 14:05 UTC');
    expect(formatDateTime('2026-01-02T03:04:00+02:00')).toBe('2026-01-02 01:04 UTC');
    expect(formatDate('2026-01-02T03:04:00Z')).toBe('2026-01-02');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('formatPercent', () => {
  it('clamps to 0-100', () => {
    expect(formatPercent(0.425)).toBe('43 %');
    expect(formatPercent(2)).toBe('100 %');
  });
});

describe('in French', () => {
  const now = new Date('2026-11-23T14:05:00Z');
  const NB = '\u00a0';

  it('writes sizes with a decimal comma, French units and a non-breaking space', () => {
    expect(formatBytes(512, 'fr')).toBe(`512${NB}o`);
    expect(formatBytes(1536, 'fr')).toBe(`1,5${NB}Kio`);
    expect(formatBytes(2 * 1024 ** 3, 'fr')).toBe(`2,0${NB}Gio`);
  });

  it('writes dates day first, durations in French units, and moments relative in French', () => {
    expect(formatDate(now, 'fr')).toBe('23/11/2026');
    expect(formatDateTime(now, 'fr')).toBe('23/11/2026 14:05 UTC');
    expect(formatDuration((3 * 24 + 4) * 3_600_000, 'fr')).toBe(`3${NB}j 4${NB}h`);
    expect(formatRelative(new Date(now.getTime() - 10_000), now, 'fr')).toBe('à l’instant');
    expect(formatRelative(new Date(now.getTime() - 5 * 60_000), now, 'fr')).toBe(`il y a 5${NB}min`);
    expect(formatRelative(new Date(now.getTime() + 3 * 86_400_000), now, 'fr')).toBe(`dans 3${NB}jours`);
    expect(formatRelative(new Date(now.getTime() - 90 * 86_400_000), now, 'fr')).toBe('25/08/2026');
    expect(formatPercent(0.42, 'fr')).toBe(`42${NB}%`);
  });

  it('groups digits as each language does', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'fr')).toMatch(/^12[\u202f\u00a0]345$/);
  });
});
