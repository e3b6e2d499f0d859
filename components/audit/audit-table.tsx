import type { AuditPage } from '@/lib/audit/query';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { AuditDetails } from './audit-details';
import { HostName } from '@/components/sites/host-name';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionText } from './action-text';

type AuditEvent = AuditPage['events'][number];

/** The audit trail as a table; `compact` drops the columns the overview has no room for. */
export function AuditTable({ events, compact = false }: { events: AuditEvent[]; compact?: boolean }) {
  const t = useTranslations('audit.table');
  const actionText = useActionText();
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('when')}</TH>
          <TH>{t('who')}</TH>
          {!compact && <TH>{t('source')}</TH>}
          {!compact && <TH>{t('from')}</TH>}
          <TH>{t('action')}</TH>
          <TH>{t('site')}</TH>
          {!compact && <TH>{t('details')}</TH>}
          <TH>{t('result')}</TH>
        </tr>
      </THead>
      <TBody>
        {events.map((e) => (
          <TR key={e.id}>
            <TD>
              <TimeAgo date={e.at} />
            </TD>
            <TD className="max-w-44 truncate" title={e.actorEmail ?? undefined}>
              {e.actorEmail ?? <span className="text-slate-500">{t('anonymous')}</span>}
            </TD>
            {!compact && (
              <TD>
                <Badge>{e.source}</Badge>
              </TD>
            )}
            {!compact && <TD className="font-mono text-xs text-slate-600">{e.ip ?? '—'}</TD>}
            <TD>
              <span className="block whitespace-nowrap text-slate-800">{actionText(e.action)}</span>
              <span className="block font-mono text-[11px] text-slate-600">{e.action}</span>
            </TD>
            <TD className="max-w-56 truncate">
              {!e.siteHost ? (
                <span className="text-slate-500">—</span>
              ) : e.siteLive ? (
                <Link href={`/sites/${e.siteHost}`} className="text-indigo-700 hover:underline"><HostName host={e.siteHost} /></Link>
              ) : (
                <HostName host={e.siteHost} />
              )}
            </TD>
            {!compact && (
              <TD>
                <AuditDetails details={e.details} errorWords={e.errorWords} />
              </TD>
            )}
            <TD>{e.ok ? <Badge tone="good">{t('ok')}</Badge> : <Badge tone="bad">{t('failed')}</Badge>}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
