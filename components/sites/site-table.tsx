import { StatusBadge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';

export interface SiteRow {
  id: string;
  host: string;
  status: string;
  createdAt: Date;
  platform: { name: string };
}

/** Sites as a table: host, status, platform, age. */
export function SiteTable({ sites, hostLabel = 'Host' }: { sites: SiteRow[]; hostLabel?: string }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>{hostLabel}</TH>
          <TH>Status</TH>
          <TH>Platform</TH>
          <TH>Created</TH>
        </tr>
      </THead>
      <TBody>
        {sites.map((s) => (
          <TR key={s.id}>
            <TD className="font-medium text-slate-900">{s.host}</TD>
            <TD><StatusBadge status={s.status} /></TD>
            <TD>{s.platform.name}</TD>
            <TD><TimeAgo date={s.createdAt} /></TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
