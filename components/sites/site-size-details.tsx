import { formatBytes } from '@/lib/domain/format';
import { Detail, Details, None } from '@/components/ui/details';
import { useLocale, useTranslations } from 'next-intl';
import { MeasuredAt } from './measured-at';

export interface SiteSizes {
  total: number | null;
  img: number | null;
  local: number | null;
  tmp: number | null;
  db: number | null;
  measuredAt: Date | null;
}

/** The cached sizes of one site, named after its application's folders, with the time of measure. */
export function SiteSizeDetails({ sizes, labels, now }: { sizes: SiteSizes; labels: { img: string; local?: string; tmp: string }; now: Date }) {
  const t = useTranslations('site.sizesCard');
  const locale = useLocale();
  if (!sizes.measuredAt) {
    return <p className="text-sm text-slate-500">{t('notMeasured')}</p>;
  }
  const folder = (name: string) => <code className="font-mono normal-case">{name}/</code>;
  return (
    <>
      <Details className="lg:grid-cols-3">
        <Detail label={t('total')}>{formatBytes(sizes.total, locale)}</Detail>
        <Detail label={t('uploads')}>
          {formatBytes(sizes.img, locale)} <span className="text-xs text-slate-500">{folder(labels.img)}</span>
        </Detail>
        {labels.local && (
          <Detail label={t('computed')}>
            {formatBytes(sizes.local, locale)} <span className="text-xs text-slate-500">{folder(labels.local)}</span>
          </Detail>
        )}
        <Detail label={t('tmp')}>
          {formatBytes(sizes.tmp, locale)} <span className="text-xs text-slate-500">{folder(labels.tmp)}</span>
        </Detail>
        <Detail label={t('database')}>{sizes.db === null ? <None>{t('dbNotMeasured')}</None> : formatBytes(sizes.db, locale)}</Detail>
      </Details>
      <p className="mt-4 text-xs text-slate-500">
        {t('measured')} <MeasuredAt date={sizes.measuredAt} now={now} />.
      </p>
    </>
  );
}
