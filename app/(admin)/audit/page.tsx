import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/guards';
import { auditFilterSchema, listAudit } from '@/lib/audit/query';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export const metadata: Metadata = { title: 'Audit trail' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const raw = flattenParams(await searchParams);
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const { events, nextBefore } = await listAudit(filter);
  const filtered = !!(filter.action || filter.actor || filter.site || filter.source);

  return (
    <>
      <PageHeader title="Audit trail" description="Who changed what, from where: through the dashboard, the API, the CLI and the worker. Newest first." />
      <AuditFilters filter={filter} />
      {!parsed.success && (
        <p role="alert" className="mb-4 text-sm text-amber-700">
          Some filters in the address were not understood and were ignored.
        </p>
      )}
      {events.length === 0 ? (
        <EmptyState title={filtered ? 'No events match these filters' : filter.before ? 'No older events' : 'No events yet'}>
          {filtered ? 'Try a shorter action prefix or clear the filters.' : 'Every change made through Mutu is recorded here.'}
        </EmptyState>
      ) : (
        <AuditTable events={events} />
      )}
      <Pager
        basePath="/audit"
        params={{ action: filter.action, actor: filter.actor, site: filter.site, source: filter.source }}
        nextBefore={nextBefore}
        isFirstPage={!filter.before}
      />
    </>
  );
}
