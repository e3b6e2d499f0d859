import Link from 'next/link';
import type { FarmOverview } from '@/lib/overview/farm';
import { Stat } from '@/components/ui/card';
import { TimeAgo } from '@/components/ui/time';
import { HealthBadge } from '@/components/sites/health-badge';

const link = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';

/** How many sites answer, need their install, err, do not answer or were never probed, and which ones are unwell. */
export function HealthSummary({ farm, now }: { farm: FarmOverview; now: Date }) {
  const h = farm.health;
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-2">
        <Stat label="Up" value={(h.up ?? 0).toLocaleString('en')} />
        <Stat label="Needs install" value={(h['needs-install'] ?? 0).toLocaleString('en')} tone={h['needs-install'] ? 'warn' : 'default'} />
        <Stat label="Erring" value={(h.error ?? 0).toLocaleString('en')} tone={h.error ? 'warn' : 'default'} />
        <Stat label="Down" value={(h.down ?? 0).toLocaleString('en')} tone={h.down ? 'bad' : 'default'} />
        <Stat label="Unknown" value={(h.unknown ?? 0).toLocaleString('en')} />
      </dl>
      {farm.down.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Down, erring or needing install</h3>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {farm.down.map((s) => (
              <li key={s.host} className="flex items-center justify-between gap-2 py-1.5">
                <Link href={`/sites/${s.host}`} className="min-w-0 truncate text-indigo-700 hover:underline" title={s.host}>
                  {s.host}
                </Link>
                <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                  <HealthBadge health={{ status: s.healthStatus, code: s.healthCode, detail: s.healthDetail, latencyMs: null, checkedAt: s.healthCheckedAt }} now={now} />
                  <TimeAgo date={s.healthCheckedAt} now={now} />
                </span>
              </li>
            ))}
          </ul>
          {farm.downCount > farm.down.length && (
            <Link href="/sites?down=1" className={`${link} mt-2 inline-block`}>
              All {farm.downCount.toLocaleString('en')} sites that need a look →
            </Link>
          )}
        </div>
      ) : (
        <p className="mt-4 text-sm text-slate-500">{h.up ? 'Every probed site answers.' : 'No site has been probed yet: active sites are checked every ten minutes.'}</p>
      )}
    </>
  );
}
