import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { buttonClass } from './button';

/**
 * Cursor paging, newest first: "Newest" goes back to the first page, "Older" follows
 * the cursor. Both keep the other query parameters (filters).
 */
export function Pager({ basePath, params, nextBefore, isFirstPage }: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextBefore: string | number | null;
  isFirstPage: boolean;
}) {
  const t = useTranslations('pager');
  if (isFirstPage && nextBefore === null) return null;
  const href = (before?: string | number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== 'before') q.set(k, v);
    if (before !== undefined) q.set('before', String(before));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return (
    <nav aria-label={t('label')} className="mt-4 flex items-center justify-between">
      {isFirstPage ? <span /> : <Link className={buttonClass('secondary')} href={href()}>{t('newest')}</Link>}
      {nextBefore !== null ? <Link className={buttonClass('secondary')} href={href(nextBefore)}>{t('older')}</Link> : <span className="text-xs text-slate-500">{t('end')}</span>}
    </nav>
  );
}
