import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import type { FarmOverview } from '@/lib/overview/farm';
import { formatDate, formatNumber } from '@/lib/domain/format';
import { PROFILES } from '@/lib/domain/profiles';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';

type PlatformRow = FarmOverview['platforms'][number];

/** End of life as hosters show it for PHP versions: a date, and a warning when it is near or past. */
function EndOfLife({ p }: { p: PlatformRow }) {
  const t = useTranslations('overview.table');
  const locale = useLocale();
  if (!p.eolDate) return <span className="text-slate-500">—</span>;
  return (
    <span className="inline-flex items-center gap-2 whitespace-nowrap">
      <span className="tabular-nums">{formatDate(p.eolDate, locale)}</span>
      {p.eol === 'past' && <Badge tone="bad">{t('pastEol')}</Badge>}
      {p.eol === 'soon' && <Badge tone="warn">{t('endsSoon')}</Badge>}
    </span>
  );
}

/** The platforms with how many sites run on each, their end of life and whether a newer release is installed. */
export function PlatformsTable({ platforms }: { platforms: PlatformRow[] }) {
  const t = useTranslations('overview.table');
  const locale = useLocale();
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('platform')}</TH>
          <TH>{t('version')}</TH>
          <TH className="text-right">{t('sites')}</TH>
          <TH>{t('eol')}</TH>
          <TH>{t('upgrade')}</TH>
        </tr>
      </THead>
      <TBody>
        {platforms.map((p) => (
          <TR key={p.id} className={p.eol === 'past' && p.sites > 0 ? 'bg-red-50/50' : undefined}>
            <TD>
              <span className="font-medium text-slate-900">{p.name}</span>
              <span className="block text-xs text-slate-500">
                {PROFILES[p.profile]?.label ?? p.profile}
                {p.status !== 'active' && ` · ${p.status}`}
              </span>
            </TD>
            <TD className="tabular-nums">{p.version || <span className="text-slate-500">—</span>}</TD>
            <TD className="text-right tabular-nums">
              {p.sites ? (
                <Link href={`/sites?platform=${encodeURIComponent(p.name)}`} className="text-indigo-700 hover:underline">
                  {formatNumber(p.sites, locale)}
                </Link>
              ) : (
                <span className="text-slate-500">0</span>
              )}
            </TD>
            <TD>
              <EndOfLife p={p} />
            </TD>
            <TD>{p.upgradeAvailable ? <Badge tone="info">{t('upgradeAvailable')}</Badge> : <span className="text-slate-500">—</span>}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
