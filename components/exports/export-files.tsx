import { useLocale, useTranslations } from 'next-intl';
import type { ExportView } from '@/lib/exports/views';
import { formatBytes } from '@/lib/domain/format';
import { buttonClass } from '@/components/ui/button';

/** A ready export's files: name, size, sha256 and a download link signed for the viewer. */
export function ExportFiles({ files }: { files: ExportView['files'] }) {
  const t = useTranslations('exports');
  const locale = useLocale();
  return (
    <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
      {files.map((f) => (
        <li key={f.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2" data-file-kind={f.kind}>
          <div className="min-w-0">
            <p className="text-sm font-medium text-slate-800">
              {t('kind', { kind: f.kind })} <span className="font-normal text-slate-500">· {formatBytes(f.sizeBytes, locale)}</span>
            </p>
            <p className="break-all font-mono text-xs text-slate-600">{f.name}</p>
            <p className="break-all font-mono text-[11px] text-slate-500" title={t('shaTitle')}>
              sha256 <span data-sha256>{f.sha256}</span>
            </p>
            {f.kind === 'secrets' && <p className="text-xs text-amber-700">{t('secretsFile')}</p>}
          </div>
          <a href={f.url} download={f.name} className={buttonClass('secondary', 'whitespace-nowrap')} aria-label={t('downloadFile', { name: f.name })}>
            {t('download')}
          </a>
        </li>
      ))}
    </ul>
  );
}
