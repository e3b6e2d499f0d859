import { useLocale, useTranslations } from 'next-intl';
import { formatBytes, formatDateTime, formatRelative } from '@/lib/domain/format';

export interface DiskValues {
  total: number | null;
  img: number | null;
  local: number | null;
  tmp: number | null;
  measuredAt: Date | string | null;
}

/** The measured folders of a site's disk use: uploads, computed files, temporary files. */
export const diskSplit = (disk: DiskValues): [string, number][] =>
  (
    [
      ['IMG', disk.img],
      ['local', disk.local],
      ['tmp', disk.tmp],
    ] as [string, number | null][]
  ).filter((part): part is [string, number] => part[1] !== null);

/** A site's disk use: the total, then uploads / computed files / temporary files, dated in the title. */
export function DiskUse({ disk, now }: { disk: DiskValues; now?: Date }) {
  const t = useTranslations('disk');
  const locale = useLocale();
  if (disk.total === null || !disk.measuredAt) return <span className="text-xs text-slate-500">{t('notMeasured')}</span>;
  const measured = new Date(disk.measuredAt);
  const split = diskSplit(disk);
  return (
    <span title={t('measured', { when: formatRelative(measured, now, locale), at: formatDateTime(measured, locale) })} className="block">
      <span className="font-medium whitespace-nowrap tabular-nums text-slate-800">{formatBytes(disk.total, locale)}</span>
      <span className="block max-w-48 text-xs tabular-nums text-slate-500">
        {/* Units that wrap whole, spaced rather than dotted: a wrapped line never starts with a separator. */}
        {split.map(([k, v]) => (
          <span key={k} className="mr-2 inline-block whitespace-nowrap last:mr-0">
            {k} {formatBytes(v, locale)}
          </span>
        ))}
      </span>
    </span>
  );
}
