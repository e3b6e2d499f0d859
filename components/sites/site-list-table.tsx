import { engineLabel } from '@/lib/domain/server';
import { useTranslations } from 'next-intl';
import type { SiteListItem } from '@/lib/sites/list-query';
import type { SiteListQuery } from '@/lib/domain/site-list';
import { Table, TH, THead } from '@/components/ui/table';
import { useJobWords } from '@/components/jobs/job-words';
import { SelectAllCheckbox } from './selection';
import { SiteRows, type SiteRow } from './site-rows';
import { DoubleSortHeader, SortHeader } from './sort-header';

/** What a row shows of a listed site (lib/ words such as the engine's name, and what the health probe saw, are put in here, on the server). */
const toRow = (s: SiteListItem, words: ReturnType<typeof useJobWords>): SiteRow => ({
  host: s.host,
  adminPath: s.adminPath,
  node: s.node,
  platform: s.platform.name,
  release: s.platform.version || s.platform.profile,
  upgradable: s.upgradable,
  database: s.database && { engine: engineLabel(s.database.server.engine), name: s.database.name, server: s.database.server.name, shared: s.database.shared, bytes: s.disk.db ?? s.database.sizeBytes },
  disk: { total: s.disk.total, img: s.disk.img, local: s.disk.local, tmp: s.disk.tmp, measuredAt: s.disk.measuredAt },
  health: { ...s.health, detail: s.health.detail && words.line(s.health.detail) },
  tls: s.tls && { state: s.tls.state, notAfter: s.tls.notAfter, issuer: s.tls.issuer, acme: s.tls.source === 'acme', lastError: s.tls.lastError },
  status: s.status,
  createdAt: s.createdAt,
  upgradedAt: s.upgradedAt,
  lastExportAt: s.lastExportAt,
});

/**
 * One page of the sites list, from cached measures only: the headers (sort links) drawn on the
 * server, the rows by a client component from their values (site-rows.tsx).
 */
export function SiteListTable({ sites, query, now, showNode = false }: { sites: SiteListItem[]; query: SiteListQuery; now: Date; showNode?: boolean }) {
  const t = useTranslations('sites.table');
  const tNode = useTranslations('nodes.site');
  const words = useJobWords();
  return (
    <Table>
      <THead>
        <tr>
          <TH className="w-8">
            <SelectAllCheckbox />
          </TH>
          <SortHeader query={query} sort="host">{t('host')}</SortHeader>
          {showNode && <TH>{tNode('node')}</TH>}
          <TH>{t('platform')}</TH>
          <TH>{t('database')}</TH>
          <SortHeader query={query} sort="disk">{t('disk')}</SortHeader>
          <TH>{t('health')}</TH>
          <TH>HTTPS</TH>
          <TH>{t('status')}</TH>
          <DoubleSortHeader query={query} first={['created', t('created')]} second={['upgraded', t('upgraded')]} />
          <TH>{t('export')}</TH>
        </tr>
      </THead>
      <SiteRows rows={sites.map((s) => toRow(s, words))} now={now} showNode={showNode} />
    </Table>
  );
}
