import { useLocale, useTranslations } from 'next-intl';
import { formatBytes } from '@/lib/domain/format';
import type { BackupFile } from '@/lib/backups/files';
import { DateTime } from '@/components/ui/time';

/**
 * A site's scheduled database backups (in its `db/backups/`), newest first; with `linkFor`
 * (a signed link for the viewer) each one can be downloaded. A server component.
 */
export function SiteBackups({ backups, keep, linkFor }: { backups: BackupFile[]; keep: number; linkFor?: (name: string) => string }) {
  const t = useTranslations('backups');
  const locale = useLocale();
  const policy = keep > 0 ? t('policy', { keep }) : t('off');
  if (backups.length === 0) return <p className="text-sm text-slate-500">{t('none')} {policy}</p>;
  return (
    <>
      <ul className="divide-y divide-slate-100 text-sm" aria-label={t('list')}>
        {backups.map((b) => (
          <li key={b.name} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <code className="font-mono text-xs text-slate-700">{b.name}</code>{' '}
              <span className="text-xs text-slate-500">
                {formatBytes(b.sizeBytes, locale)}, <DateTime date={b.createdAt} />
              </span>
            </span>
            {linkFor && (
              <a href={linkFor(b.name)} className="text-sm font-medium text-indigo-600 hover:text-indigo-500" download>
                {t('download')}
              </a>
            )}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-slate-500">{policy} {t('kind')}</p>
    </>
  );
}
