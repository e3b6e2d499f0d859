import { useTranslations } from 'next-intl';

const code = (chunks: React.ReactNode) => <code className="rounded bg-amber-100 px-1 font-mono text-xs">{chunks}</code>;

/**
 * What the overview says when nothing serves the sites yet: plainly, with the command that
 * fixes it, rather than every site listed as down.
 */
export function FrontNotice() {
  const t = useTranslations('overview.front');
  return (
    <div role="status" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">{t('title')}</p>
      <p className="mt-1">{t.rich('body', { code })}</p>
    </div>
  );
}
