import { useLocale, useTranslations } from 'next-intl';
import { formatBytes } from '@/lib/domain/format';
import { isLocale } from '@/lib/domain/locale';
import { CSV_COLUMNS, CSV_UPLOAD_MAX_BYTES, CSV_UPLOAD_MAX_SITES } from '@/lib/domain/site-csv';

const HELP = { host: 'colHost', platform: 'colPlatform', server: 'colServer', webmaster: 'colWebmaster', 'shared-db': 'colSharedDb' } as const;

/** What a file of sites holds, its limits, and a template to start from (the header and one example). */
export function CsvHelp({ template }: { template: string }) {
  const t = useTranslations('newSite.csv');
  const requested = useLocale();
  const locale = isLocale(requested) ? requested : 'en';
  return (
    <div className="space-y-3 text-sm text-slate-600">
      <p>{t('intro')}</p>
      <div>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t('columns')}</h3>
        <dl className="mt-1 grid grid-cols-[max-content_1fr] items-baseline gap-x-3 gap-y-1">
          {CSV_COLUMNS.map((c) => (
            <div key={c} className="contents">
              <dt className="font-mono text-xs text-slate-900">{c}</dt>
              <dd>{t(HELP[c])}</dd>
            </div>
          ))}
        </dl>
      </div>
      <p>{t('limits', { maxSites: CSV_UPLOAD_MAX_SITES, maxSize: formatBytes(CSV_UPLOAD_MAX_BYTES, locale) })}</p>
      <p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download="mutu-sites.csv" className="font-medium text-indigo-600 hover:text-indigo-500">
          {t('template')}
        </a>
      </p>
    </div>
  );
}
