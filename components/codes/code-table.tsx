import { revokeCodeAction } from '@/app/(admin)/codes/actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge, type Tone } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime, TimeAgo } from '@/components/ui/time';

export interface CodeRow {
  id: string;
  lookup: string;
  label: string;
  state: string;
  uses: number;
  maxUses: number;
  hostPattern: string | null;
  platform: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

const STATE_TONE: Record<string, Tone> = { valid: 'good', expired: 'neutral', 'used up': 'neutral', revoked: 'bad' };

export function CodeTable({ codes }: { codes: CodeRow[] }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Label</TH>
          <TH>State</TH>
          <TH>Uses</TH>
          <TH>Host pattern</TH>
          <TH>Platform</TH>
          <TH>Expires</TH>
          <TH>Created</TH>
          <TH><span className="sr-only">Actions</span></TH>
        </tr>
      </THead>
      <TBody>
        {codes.map((c) => (
          <TR key={c.id}>
            <TD>
              <div className="font-medium text-slate-900">{c.label}</div>
              <div className="font-mono text-xs text-slate-500" title="The start of the code, to recognise it">mutu-{c.lookup}-…</div>
            </TD>
            <TD><Badge tone={STATE_TONE[c.state] ?? 'neutral'}>{c.state}</Badge></TD>
            <TD className="tabular-nums">{c.uses} / {c.maxUses}</TD>
            <TD>{c.hostPattern ? <code className="font-mono text-xs">{c.hostPattern}</code> : <span className="text-slate-500">any host</span>}</TD>
            <TD>{c.platform ?? <span className="text-slate-500">default</span>}</TD>
            <TD>{c.expiresAt ? <DateTime date={c.expiresAt} /> : <span className="text-slate-500">never</span>}</TD>
            <TD><TimeAgo date={c.createdAt} /></TD>
            <TD className="text-right">
              {c.state === 'valid' && <ActionButton action={revokeCodeAction} fields={{ id: c.id }} label="Revoke" pendingLabel="Revoking…" />}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
