import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { formatNumber } from '@/lib/domain/format';
import type { Locale } from '@/lib/domain/locale';
import { isPattern } from '@/lib/domain/pattern';
import { listFilteredHosts } from '@/lib/sites/list-query';
import { listRuns } from '@/lib/upgrades/runs';
import { activePlatforms } from '@/lib/platforms/service';
import { runParams, runSummary, type RunSummary } from '@/lib/upgrades/run-progress';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime } from '@/components/ui/time';
import { NewRunForm } from '@/components/upgrades/new-run-form';
import { RunStateBadge } from '@/components/upgrades/run-state-badge';
import { selectionText, type RunsT } from '@/components/upgrades/run-words';
import { FILTER_KEYS, hasFilters, parseListParams } from '@/components/sites/list-url';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('runs'))('title') };
}

type Props = { searchParams: Promise<RawSearchParams> };

const MAX_PREFILLED = 20_000;

/**
 * What the new-run form starts from: `?match=` a pattern, `?hosts=a,b` the sites list's
 * selection, or the sites list's own filter parameters (every page of it, as a list).
 */
async function prefill(t: RunsT, raw: Record<string, string>): Promise<{ match: string; hosts: string[]; from?: string }> {
  if (raw.hosts) return { match: '', hosts: raw.hosts.split(/[\s,]+/).filter(Boolean).slice(0, MAX_PREFILLED), from: t('fromSelection') };
  if (raw.match) return { match: raw.match, hosts: [] };
  const { query } = parseListParams(raw);
  if (!hasFilters(query)) return { match: '', hosts: [] };
  const onlyPattern = query.q && isPattern(query.q) && FILTER_KEYS.every((k) => k === 'q' || !query[k]);
  if (onlyPattern) return { match: query.q!, hosts: [] };
  const hosts = await listFilteredHosts(query, MAX_PREFILLED);
  return { match: '', hosts, from: t('fromFilter', { n: hosts.length }) };
}

export default async function RunsPage({ searchParams }: Props) {
  await requireAdmin();
  const [t, locale] = await Promise.all([getTranslations('runs'), getLocale()]);
  const [runs, platforms] = await Promise.all([listRuns(), activePlatforms()]);
  const start = await prefill(t, flattenParams(await searchParams));
  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      <Card title={t('newRun')} className="mb-8">
        <NewRunForm platforms={platforms.map((p) => ({ name: p.name, label: `${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''})` }))} defaultMatch={start.match} defaultHosts={start.hosts} from={start.from} />
      </Card>
      {runs.length === 0 ? (
        <EmptyState title={t('none')}>{t('noneHint')}</EmptyState>
      ) : (
        <Table aria-label={t('table.label')}>
          <THead>
            <tr>
              <TH>{t('table.run')}</TH>
              <TH>{t('table.status')}</TH>
              <TH>{t('table.to')}</TH>
              <TH>{t('table.sites')}</TH>
              <TH>{t('table.started')}</TH>
              <TH>{t('table.finished')}</TH>
            </tr>
          </THead>
          <TBody>
            {runs.map((r) => {
              const params = runParams(r);
              const totals = runSummary(r).totals;
              return (
                <TR key={r.id}>
                  <TD><Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">{selectionText(t, params)}</Link></TD>
                  <TD><RunStateBadge state={r.status} run /></TD>
                  <TD>{params.targetName}</TD>
                  <TD className="tabular-nums">{sitesCell(t, locale, params.targets.length, totals)}</TD>
                  <TD><DateTime date={r.startedAt} /></TD>
                  <TD><DateTime date={r.finishedAt} /></TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </>
  );
}

/** "3/4 upgraded, 1 failed" once the run has counted; until then the number of sites it takes. */
function sitesCell(t: RunsT, locale: Locale, total: number, totals: RunSummary['totals']) {
  if (!totals) return formatNumber(total, locale);
  return totals.failed ? t('table.upgradedFailed', { succeeded: totals.succeeded, total, failed: totals.failed }) : t('table.upgraded', { succeeded: totals.succeeded, total });
}
