import { useTranslations } from 'next-intl';
import type { FpmGroupStatus } from '@/lib/front/fpm-groups';

const code = (chunks: React.ReactNode) => <code className="rounded bg-amber-100 px-1 font-mono text-xs">{chunks}</code>;

/**
 * PHP-FPM masters of the front that do not serve as they should: a group not running (its
 * sites' PHP does not answer) or pools left in another group than theirs, with what to run.
 */
export function FpmGroupsNotice({ groups }: { groups: FpmGroupStatus[] }) {
  const t = useTranslations('overview.fpmGroups');
  const stopped = groups.filter((g) => g.expected && !g.running);
  const misplaced = groups.reduce((n, g) => n + g.misplaced.length, 0);
  if (!stopped.length && !misplaced) return null;
  return (
    <div role="status" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">{t('title')}</p>
      {stopped.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {stopped.map((g) => (
            <li key={g.label}>{t.rich('stopped', { code, group: g.label, pools: g.pools, command: g.startCommand ?? '' })}</li>
          ))}
        </ul>
      )}
      {misplaced > 0 && <p className="mt-1">{t.rich('misplaced', { code, n: misplaced })}</p>}
    </div>
  );
}
