import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { SITE_STATUSES } from '@/lib/domain/site-list';
import { listSites } from '@/lib/sites/list-query';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { BulkActions } from '@/components/sites/bulk-actions';
import { clearedHref, hasFilters, listHref, parseListParams, upgradeFilterHref } from '@/components/sites/list-url';
import { SelectionProvider } from '@/components/sites/selection';
import { SiteFilters } from '@/components/sites/site-filters';
import { SiteListTable } from '@/components/sites/site-list-table';
import { SitePager } from '@/components/sites/site-pager';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export const metadata: Metadata = { title: 'Sites' };

const sites = (n: number) => `${n.toLocaleString('en')} site${n === 1 ? '' : 's'}`;

/**
 * The sites list. Its whole state (search, filters, sort, page) is in the URL and parsed on
 * the server, so a view can be shared; sizes and health are the cached measures.
 */
export default async function SitesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const { query, problems } = parseListParams(flattenParams(await searchParams));
  const filtered = hasFilters(query);
  const [list, platforms, servers] = await Promise.all([
    listSites(query),
    db.platform.findMany({ select: { name: true, version: true, status: true }, orderBy: { name: 'asc' } }),
    db.dbServer.findMany({ select: { name: true, engine: true }, orderBy: { name: 'asc' } }),
  ]);
  // Only an empty answer needs to know whether the farm itself is empty.
  const farmIsEmpty = list.total === 0 && (!filtered || (await db.site.count()) === 0);
  const now = new Date();

  const actions = (
    <>
      <ButtonLink href="/sites/scan">Scan the farm</ButtonLink>
      <ButtonLink href="/sites/import">Import</ButtonLink>
      <ButtonLink href="/sites/new" variant="primary">
        New site
      </ButtonLink>
    </>
  );

  return (
    <>
      <PageHeader
        title="Sites"
        description={
          farmIsEmpty
            ? 'The sites of the farm.'
            : filtered
              ? list.total
                ? `${sites(list.total)} match${list.total === 1 ? 'es' : ''} these filters.`
                : 'No site matches these filters.'
              : `${sites(list.total)} in the registry.`
        }
        actions={actions}
      />
      {problems.length > 0 && (
        <div role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
          Some of the address was not understood and was ignored:{' '}
          {problems.map((p, i) => (
            <span key={p.param}>
              {i > 0 && '; '}
              <code className="font-mono text-xs">{p.param}</code>: {p.message}
            </span>
          ))}
          .
        </div>
      )}
      {farmIsEmpty ? (
        <EmptyState title="No sites yet" action={<ButtonLink href="/sites/new" variant="primary">New site</ButtonLink>}>
          Create one here or with <code className="font-mono text-slate-700">mutu sites create</code>, give a webmaster an activation code for the
          self-service page, or <Link href="/sites/scan" className="font-medium text-indigo-600 hover:text-indigo-500">scan the farm</Link> to adopt
          existing site folders.
        </EmptyState>
      ) : (
        <>
          <SiteFilters
            values={{ q: query.q, status: query.status, platform: query.platform, engine: query.engine, server: query.server, webmaster: query.webmaster, tls: query.tls, upgradable: query.upgradable, down: query.down }}
            statuses={SITE_STATUSES}
            platforms={platforms.map((p) => ({ name: p.name, label: `${p.name}${p.status === 'retired' ? ' (retired)' : ''}` }))}
            servers={servers}
            clearHref={filtered ? clearedHref(query) : undefined}
          />
          {list.total === 0 ? (
            <EmptyState title="No site matches these filters" action={<ButtonLink href={clearedHref(query)}>Clear filters</ButtonLink>}>
              A search matches any part of the host; with <code className="font-mono">*</code> or <code className="font-mono">?</code> it is a
              pattern for the whole host, such as <code className="font-mono">*.example.org</code>.
            </EmptyState>
          ) : list.sites.length === 0 ? (
            <EmptyState title={`There is no page ${query.page}`} action={<ButtonLink href={listHref(query, { page: list.pages })}>Go to the last page ({list.pages})</ButtonLink>}>
              These filters give {sites(list.total)} on {list.pages} page{list.pages === 1 ? '' : 's'}.
            </EmptyState>
          ) : (
            <SelectionProvider hosts={list.sites.map((s) => s.host)}>
              <BulkActions filter={filtered ? { href: upgradeFilterHref(query), total: list.total } : undefined} />
              <SiteListTable sites={list.sites} query={query} now={now} />
              <SitePager query={query} pages={list.pages} total={list.total} />
            </SelectionProvider>
          )}
        </>
      )}
    </>
  );
}
