import { engineLabel } from '@/lib/domain/server';
import { makeDefaultServerAction, removeServerAction } from '@/app/(admin)/servers/actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';

export interface ServerRow {
  id: string;
  name: string;
  engine: string;
  address: string;
  sites: number;
  isDefault: boolean;
  status: string;
  lastCheckedAt: Date | null;
  lastCheckOk: boolean | null;
  lastCheckError: string | null;
}


export function ServerTable({ servers }: { servers: ServerRow[] }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Engine</TH>
          <TH>Address</TH>
          <TH>Sites</TH>
          <TH>Default</TH>
          <TH>Last check</TH>
          <TH><span className="sr-only">Actions</span></TH>
        </tr>
      </THead>
      <TBody>
        {servers.map((s) => (
          <TR key={s.id}>
            <TD className="font-medium text-slate-900">
              {s.name}
              {s.status !== 'active' && <Badge className="ml-2">{s.status}</Badge>}
            </TD>
            <TD className="whitespace-nowrap">{engineLabel(s.engine)}{s.engine === 'sqlite' ? ' (embedded)' : ''}</TD>
            <TD className="whitespace-nowrap font-mono text-xs">{s.address}</TD>
            <TD className="tabular-nums">{s.sites}</TD>
            <TD>{s.isDefault ? <Badge tone="accent">default</Badge> : <span className="text-slate-500">—</span>}</TD>
            <TD>
              {s.engine === 'sqlite' ? (
                <span className="whitespace-nowrap text-slate-500">nothing to check</span>
              ) : s.lastCheckedAt ? (
                <span title={s.lastCheckError ?? undefined} className="whitespace-nowrap">
                  <Badge tone={s.lastCheckOk ? 'good' : 'bad'}>{s.lastCheckOk ? 'ok' : 'failed'}</Badge>{' '}
                  <TimeAgo date={s.lastCheckedAt} />
                </span>
              ) : (
                <span className="text-slate-500">never</span>
              )}
            </TD>
            <TD>
              <div className="flex items-start justify-end gap-2">
                {!s.isDefault && s.status === 'active' && (
                  <ActionButton action={makeDefaultServerAction} fields={{ name: s.name }} label="Make default" variant="ghost" />
                )}
                {s.engine !== 'sqlite' && <ActionButton action={removeServerAction} fields={{ name: s.name }} label="Remove" pendingLabel="Removing…" />}
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
