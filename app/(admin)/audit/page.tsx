import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { auditFilterSchema, listAudit } from '@/lib/audit/query';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('audit'))('title') };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const t = await getTranslations('audit');
  const raw = flattenParams(await searchParams);
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const { events, nextBefore } = await listAudit(filter);
  const filtered = !!(filter.action || filter.actor || filter.site || filter.source);

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      <AuditFilters filter={filter} />
      {!parsed.success && (
        <p role="alert" className="mb-4 text-sm text-amber-700">
          {t('notUnderstood')}
        </p>
      )}
      {events.length === 0 ? (
        <EmptyState title={filtered ? t('noMatch') : filter.before ? t('noOlder') : t('none')}>
          {filtered ? t('noMatchHint') : t('noneHint')}
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
