import { retirePlatformAction } from '@/app/(admin)/platforms/actions';
import { ActionButton } from '@/components/ui/action-button';
import { Badge, StatusBadge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { EditPlatformForm } from './edit-platform-form';
import { useTranslations } from 'next-intl';

export interface PlatformRow {
  id: string;
  name: string;
  profile: string;
  version: string;
  status: string;
  isDefault: boolean;
  sites: number;
  codePath: string;
  /** the commands as one line each, "" when none */
  upgradeCommand: string;
  installCommand: string;
  purgeCommand: string;
  postImportCommand: string;
  healthCheck: string;
  /** "" when the system's */
  php: string;
  /** YYYY-MM-DD, "" when none */
  eol: string;
  eolState: 'none' | 'ok' | 'soon' | 'past';
}

export function PlatformTable({ platforms }: { platforms: PlatformRow[] }) {
  const t = useTranslations('platforms.table');
  const others = (p: PlatformRow) => [p.installCommand && t('install'), p.purgeCommand && t('purge'), p.postImportCommand && t('postImport')].filter(Boolean);
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('name')}</TH>
          <TH>{t('profile')}</TH>
          <TH>{t('version')}</TH>
          <TH>{t('status')}</TH>
          <TH>{t('sites')}</TH>
          <TH>{t('upgrade')}</TH>
          <TH>{t('eol')}</TH>
          <TH><span className="sr-only">{t('actions')}</span></TH>
        </tr>
      </THead>
      <TBody>
        {platforms.map((p) => (
          <TR key={p.id}>
            <TD className="align-top font-medium text-slate-900">
              {p.name}
              {p.isDefault && <Badge tone="accent" className="ml-2">{t('default')}</Badge>}
              <span className="block break-all font-mono text-xs font-normal text-slate-500">{p.codePath}</span>
            </TD>
            <TD className="align-top">{p.profile}</TD>
            <TD className="align-top">{p.version || <span className="text-slate-500">—</span>}</TD>
            <TD className="align-top"><StatusBadge status={p.status} /></TD>
            <TD className="align-top tabular-nums">{p.sites}</TD>
            <TD className="max-w-sm align-top text-xs">
              {p.upgradeCommand ? <code className="break-all font-mono text-slate-700">{p.upgradeCommand}</code> : <span className="text-slate-500">{t('switchOnly')}</span>}
              {p.healthCheck && <span className="mt-1 block text-slate-500">{t('healthCheck', { path: p.healthCheck })}</span>}
              {others(p).length > 0 && <span className="mt-1 block text-slate-500">{t('also', { commands: others(p).join(', ') })}</span>}
              <span className="mt-1 block text-slate-500">{p.php ? t('php', { version: p.php }) : t('phpSystem')}</span>
            </TD>
            <TD className="align-top text-xs">
              {p.eol ? <Badge tone={p.eolState === 'past' ? 'bad' : p.eolState === 'soon' ? 'warn' : 'neutral'}>{p.eol}</Badge> : <span className="text-slate-500">—</span>}
            </TD>
            <TD className="align-top">
              {p.status === 'active' && (
                <div className="flex flex-col items-end gap-2">
                  <details className="w-full min-w-72 text-left">
                    <summary className="cursor-pointer text-right text-xs font-medium text-indigo-600">{t('edit')}</summary>
                    <div className="mt-2"><EditPlatformForm platform={p} /></div>
                  </details>
                  {p.sites === 0 ? (
                    <ActionButton action={retirePlatformAction} fields={{ name: p.name }} label={t('retire')} pendingLabel={t('retiring')} variant="danger" title={t('retireTitle')} />
                  ) : (
                    <span className="text-xs text-slate-500" title={t('inUseTitle')}>{t('inUse')}</span>
                  )}
                </div>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
