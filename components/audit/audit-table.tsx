import type { AuditPage } from '@/lib/audit/query';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { AuditDetails } from './audit-details';

type AuditEvent = AuditPage['events'][number];

/** The audit trail as a table; `compact` drops the columns the overview has no room for. */
export function AuditTable({ events, compact = false }: { events: AuditEvent[]; compact?: boolean }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>When</TH>
          <TH>Who</TH>
          {!compact && <TH>Source</TH>}
          {!compact && <TH>From</TH>}
          <TH>Action</TH>
          <TH>Site</TH>
          {!compact && <TH>Details</TH>}
          <TH>Result</TH>
        </tr>
      </THead>
      <TBody>
        {events.map((e) => (
          <TR key={e.id}>
            <TD>
              <TimeAgo date={e.at} />
            </TD>
            <TD className="max-w-44 truncate" title={e.actorEmail ?? undefined}>
              {e.actorEmail ?? <span className="text-slate-400">anonymous</span>}
            </TD>
            {!compact && (
              <TD>
                <Badge>{e.source}</Badge>
              </TD>
            )}
            {!compact && <TD className="font-mono text-xs text-slate-500">{e.ip ?? '—'}</TD>}
            <TD className="font-mono text-xs text-slate-800">{e.action}</TD>
            <TD>{e.siteHost ?? <span className="text-slate-400">—</span>}</TD>
            {!compact && (
              <TD>
                <AuditDetails details={e.details} />
              </TD>
            )}
            <TD>{e.ok ? <Badge tone="good">ok</Badge> : <Badge tone="bad">failed</Badge>}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
