import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { SITE_STATUSES } from '@/lib/domain/site-list';
import { farmHasNoSite, listFilterChoices, listSites } from '@/lib/sites/list-query';
import { knownNodes } from '@/lib/nodes/query';
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

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('sites'))('title') };
}

const code = (chunks: React.ReactNode) => <code className="font-mono">{chunks}</code>;

/**
 * The sites list. Its whole state (search, filters, sort, page) is in the URL and parsed on
 * the server, so a view can be shared; sizes and health are the cached measures.
 */
export default async function SitesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireAdmin();
  const t = await getTranslations('sites');
  const { query, problems } = parseListParams(flattenParams(await searchParams));
  const filtered = hasFilters(query);
  const [list, { platforms, servers }, nodes] = await Promise.all([listSites(query), listFilterChoices(), knownNodes()]);
  // Only an empty answer needs to know whether the farm itself is empty.
  const farmIsEmpty = list.total === 0 && (!filtered || (await farmHasNoSite()));
  const now = new Date();

  const actions = (
    <>
      <ButtonLink href="/sites/scan">{t('scan')}</ButtonLink>
      <ButtonLink href="/sites/import">{t('import')}</ButtonLink>
      <ButtonLink href="/sites/new" variant="primary">
        {t('new')}
      </ButtonLink>
    </>
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        description={
          farmIsEmpty
            ? t('ofTheFarm')
            : filtered
              ? list.total
                ? t('matching', { n: list.total })
                : t('noMatch')
              : t('inRegistry', { n: list.total })
        }
        actions={actions}
      />
      {problems.length > 0 && (
        <div role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
          {t('notUnderstood')}{' '}
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
        <EmptyState title={t('noSites')} action={<ButtonLink href="/sites/new" variant="primary">{t('new')}</ButtonLink>}>
          {t.rich('noSitesHint', {
            code: (chunks) => <code className="font-mono text-slate-700">{chunks}</code>,
            scan: (chunks) => <Link href="/sites/scan" className="font-medium text-indigo-600 hover:text-indigo-500">{chunks}</Link>,
          })}
        </EmptyState>
      ) : (
        <>
          <SiteFilters
            values={{ q: query.q, status: query.status, platform: query.platform, engine: query.engine, server: query.server, webmaster: query.webmaster, tls: query.tls, upgradable: query.upgradable, down: query.down }}
            statuses={SITE_STATUSES}
            platforms={platforms.map((p) => ({ name: p.name, label: p.status === 'retired' ? t('retired', { name: p.name }) : p.name }))}
            servers={servers}
            clearHref={filtered ? clearedHref(query) : undefined}
          />
          {list.total === 0 ? (
            <EmptyState title={t('noMatchTitle')} action={<ButtonLink href={clearedHref(query)}>{t('clearFilters')}</ButtonLink>}>
              {t.rich('searchHint', { code })}
            </EmptyState>
          ) : list.sites.length === 0 ? (
            <EmptyState title={t('noPage', { page: query.page })} action={<ButtonLink href={listHref(query, { page: list.pages })}>{t('lastPage', { pages: list.pages })}</ButtonLink>}>
              {t('filtersGive', { n: list.total, pages: list.pages })}
            </EmptyState>
          ) : (
            <SelectionProvider hosts={list.sites.map((s) => s.host)}>
              <BulkActions filter={filtered ? { href: upgradeFilterHref(query), total: list.total } : undefined} />
              <SiteListTable sites={list.sites} query={query} now={now} showNode={nodes.length > 1} />
              <SitePager query={query} pages={list.pages} total={list.total} />
            </SelectionProvider>
          )}
        </>
      )}
    </>
  );
}
