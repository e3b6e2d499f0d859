import { useTranslations } from 'next-intl';
import { useWholeCatalogue } from '@/components/i18n/whole-catalogue';
import { problemWords, type CsvProblem } from '@/lib/domain/site-csv';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';

/** Every problem of a file, by line: what the admin fixes before anything is made. */
export function CsvProblems({ problems }: { problems: CsvProblem[] }) {
  const t = useTranslations('newSite.csv');
  const all = useWholeCatalogue().t;
  return (
    <div className="space-y-2">
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-600/20">
        {t('problems', { count: problems.length })}
      </p>
      <Table aria-label={t('problemsLabel')}>
        <THead>
          <tr>
            <TH>{t('line')}</TH>
            <TH>{t('column')}</TH>
            <TH>{t('reason')}</TH>
          </tr>
        </THead>
        <TBody>
          {problems.map((p, i) => (
            <TR key={i} data-line={p.line}>
              <TD className="tabular-nums">{p.line}</TD>
              <TD className="font-mono text-xs">{p.column ?? <span className="font-sans text-slate-500">{t('wholeLine')}</span>}</TD>
              {/* In the reader's language: the file's own problems, and a site's request refused as the single-site form says it. */}
              <TD>{problemWords(p, all)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
