import { engineLabel } from '@/lib/domain/server';
import { makeDefaultServerAction, removeServerAction } from '@/app/(admin)/servers/actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { useTranslations } from 'next-intl';

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
  const t = useTranslations('servers.table');
  const statusLabel = useTranslations('status');
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('name')}</TH>
          <TH>{t('engine')}</TH>
          <TH>{t('address')}</TH>
          <TH>{t('sites')}</TH>
          <TH>{t('default')}</TH>
          <TH>{t('lastCheck')}</TH>
          <TH><span className="sr-only">{t('actions')}</span></TH>
        </tr>
      </THead>
      <TBody>
        {servers.map((s) => (
          <TR key={s.id}>
            <TD className="font-medium text-slate-900">
              {s.name}
              {s.status !== 'active' && <Badge className="ml-2">{statusLabel('label', { status: s.status })}</Badge>}
            </TD>
            <TD className="whitespace-nowrap">{s.engine === 'sqlite' ? t('embedded', { engine: engineLabel(s.engine) }) : engineLabel(s.engine)}</TD>
            <TD className="whitespace-nowrap font-mono text-xs">{s.address}</TD>
            <TD className="tabular-nums">{s.sites}</TD>
            <TD>{s.isDefault ? <Badge tone="accent">{t('isDefault')}</Badge> : <span className="text-slate-500">—</span>}</TD>
            <TD>
              {s.engine === 'sqlite' ? (
                <span className="whitespace-nowrap text-slate-500">{t('nothingToCheck')}</span>
              ) : s.lastCheckedAt ? (
                <span title={s.lastCheckError ?? undefined} className="whitespace-nowrap">
                  <Badge tone={s.lastCheckOk ? 'good' : 'bad'}>{s.lastCheckOk ? t('ok') : t('failed')}</Badge>{' '}
                  <TimeAgo date={s.lastCheckedAt} />
                </span>
              ) : (
                <span className="text-slate-500">{t('never')}</span>
              )}
            </TD>
            <TD>
              <div className="flex items-start justify-end gap-2">
                {!s.isDefault && s.status === 'active' && (
                  <ActionButton action={makeDefaultServerAction} fields={{ name: s.name }} label={t('makeDefault')} variant="ghost" />
                )}
                {s.engine !== 'sqlite' && <ActionButton action={removeServerAction} fields={{ name: s.name }} label={t('remove')} pendingLabel={t('removing')} />}
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
