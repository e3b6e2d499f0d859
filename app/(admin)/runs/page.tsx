import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { isPattern } from '@/lib/domain/pattern';
import { listFilteredHosts } from '@/lib/sites/list-query';
import { listRuns } from '@/lib/upgrades/runs';
import type { RunParams, RunSummary } from '@/lib/upgrades/run-progress';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime } from '@/components/ui/time';
import { NewRunForm } from '@/components/upgrades/new-run-form';
import { RunStateBadge } from '@/components/upgrades/run-state-badge';
import { FILTER_KEYS, hasFilters, parseListParams } from '@/components/sites/list-url';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export const metadata: Metadata = { title: 'Upgrade runs' };

type Props = { searchParams: Promise<RawSearchParams> };

const MAX_PREFILLED = 20_000;

/**
 * What the new-run form starts from: `?match=` a pattern, `?hosts=a,b` the sites list's
 * selection, or the sites list's own filter parameters (every page of it, as a list).
 */
async function prefill(raw: Record<string, string>): Promise<{ match: string; hosts: string[]; from?: string }> {
  if (raw.hosts) return { match: '', hosts: raw.hosts.split(/[\s,]+/).filter(Boolean).slice(0, MAX_PREFILLED), from: 'the selection' };
  if (raw.match) return { match: raw.match, hosts: [] };
  const { query } = parseListParams(raw);
  if (!hasFilters(query)) return { match: '', hosts: [] };
  const onlyPattern = query.q && isPattern(query.q) && FILTER_KEYS.every((k) => k === 'q' || !query[k]);
  if (onlyPattern) return { match: query.q!, hosts: [] };
  const hosts = await listFilteredHosts(query, MAX_PREFILLED);
  return { match: '', hosts, from: `the sites list's filter, ${hosts.length} site(s)` };
}

export default async function RunsPage({ searchParams }: Props) {
  await requireAdmin();
  const [runs, platforms] = await Promise.all([listRuns(), db.platform.findMany({ where: { status: 'active' }, orderBy: { name: 'asc' } })]);
  const start = await prefill(flattenParams(await searchParams));
  return (
    <>
      <PageHeader title="Upgrade runs" description="Upgrade many sites at once: a canary first, then waves, each site snapshotted and rolled back on failure." />
      <Card title="New run" className="mb-8">
        <NewRunForm platforms={platforms.map((p) => ({ name: p.name, label: `${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''})` }))} defaultMatch={start.match} defaultHosts={start.hosts} from={start.from} />
      </Card>
      {runs.length === 0 ? (
        <EmptyState title="No runs yet">Preview a pattern above, then start the run and watch it here.</EmptyState>
      ) : (
        <Table aria-label="Upgrade runs">
          <THead>
            <tr>
              <TH>Run</TH>
              <TH>Status</TH>
              <TH>To</TH>
              <TH>Sites</TH>
              <TH>Started</TH>
              <TH>Finished</TH>
            </tr>
          </THead>
          <TBody>
            {runs.map((r) => {
              const params = JSON.parse(r.params) as RunParams;
              const totals = (JSON.parse(r.summary) as RunSummary).totals;
              return (
                <TR key={r.id}>
                  <TD><Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">{params.selection}</Link></TD>
                  <TD><RunStateBadge state={r.status} run /></TD>
                  <TD>{params.targetName}</TD>
                  <TD className="tabular-nums">{totals ? `${totals.succeeded}/${params.targets.length} upgraded${totals.failed ? `, ${totals.failed} failed` : ''}` : params.targets.length}</TD>
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
