import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { formatNumber } from '@/lib/domain/format';
import { hostForPeople } from '@/lib/domain/idn';
import type { FarmOverview } from '@/lib/overview/farm';
import { Stat } from '@/components/ui/card';
import { TimeAgo } from '@/components/ui/time';
import { HealthBadge } from '@/components/sites/health-badge';
import { useJobWords } from '@/components/jobs/job-words';

const link = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';

/** How many sites answer, need their install, err, do not answer or were never probed, and which ones are unwell. */
export function HealthSummary({ farm, now }: { farm: FarmOverview; now: Date }) {
  const h = farm.health;
  const t = useTranslations('overview');
  const words = useJobWords();
  const locale = useLocale();
  const n = (v: number | undefined) => formatNumber(v ?? 0, locale);
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-2">
        <Stat label={t('healthStats.up')} value={n(h.up)} />
        <Stat label={t('healthStats.needsInstall')} value={n(h['needs-install'])} tone={h['needs-install'] ? 'warn' : 'default'} />
        <Stat label={t('healthStats.erring')} value={n(h.error)} tone={h.error ? 'warn' : 'default'} />
        <Stat label={t('healthStats.down')} value={n(h.down)} tone={h.down ? 'bad' : 'default'} />
        <Stat label={t('healthStats.unknown')} value={n(h.unknown)} />
      </dl>
      {farm.down.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('unwell')}</h3>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {farm.down.map((s) => (
              <li key={s.host} className="flex items-center justify-between gap-2 py-1.5">
                <Link href={`/sites/${s.host}`} className="min-w-0 truncate text-indigo-700 hover:underline" title={s.host}>
                  {hostForPeople(s.host)}
                </Link>
                <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                  <HealthBadge health={{ status: s.healthStatus, code: s.healthCode, detail: s.healthDetail && words.line(s.healthDetail), latencyMs: null, checkedAt: s.healthCheckedAt }} now={now} />
                  <TimeAgo date={s.healthCheckedAt} now={now} />
                </span>
              </li>
            ))}
          </ul>
          {farm.downCount > farm.down.length && (
            <Link href="/sites?down=1" className={`${link} mt-2 inline-block`}>
              {t('allUnwell', { n: n(farm.downCount) })}
            </Link>
          )}
        </div>
      ) : (
        <p className="mt-4 text-sm text-slate-500">{h.up ? t('allAnswer') : t('neverProbed')}</p>
      )}
    </>
  );
}
