import { revokeCodeAction } from '@/app/(admin)/codes/actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge, type Tone } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime, TimeAgo } from '@/components/ui/time';
import { useTranslations } from 'next-intl';

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
  const t = useTranslations('codes.table');
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('label')}</TH>
          <TH>{t('state')}</TH>
          <TH>{t('uses')}</TH>
          <TH>{t('hostPattern')}</TH>
          <TH>{t('platform')}</TH>
          <TH>{t('expires')}</TH>
          <TH>{t('created')}</TH>
          <TH><span className="sr-only">{t('actions')}</span></TH>
        </tr>
      </THead>
      <TBody>
        {codes.map((c) => (
          <TR key={c.id}>
            <TD>
              <div className="font-medium text-slate-900">{c.label}</div>
              <div className="font-mono text-xs text-slate-500" title={t('startTitle')}>mutu-{c.lookup}-…</div>
            </TD>
            <TD><Badge tone={STATE_TONE[c.state] ?? 'neutral'}>{t('stateName', { state: c.state === 'used up' ? 'usedUp' : c.state })}</Badge></TD>
            <TD className="tabular-nums">{c.uses} / {c.maxUses}</TD>
            <TD>{c.hostPattern ? <code className="font-mono text-xs">{c.hostPattern}</code> : <span className="text-slate-500">{t('anyHost')}</span>}</TD>
            <TD>{c.platform ?? <span className="text-slate-500">{t('default')}</span>}</TD>
            <TD>{c.expiresAt ? <DateTime date={c.expiresAt} /> : <span className="text-slate-500">{t('never')}</span>}</TD>
            <TD><TimeAgo date={c.createdAt} /></TD>
            <TD className="text-right">
              {c.state === 'valid' && <ActionButton action={revokeCodeAction} fields={{ id: c.id }} label={t('revoke')} pendingLabel={t('revoking')} />}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
