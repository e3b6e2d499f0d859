import { useTranslations } from 'next-intl';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import type { NodesView } from '@/lib/nodes/query';

const code = (chunks: React.ReactNode) => <code className="font-mono text-xs">{chunks}</code>;

/** One card per node: its workers (alive, silent or stopped), and a flag when none is alive. */
export function NodeCards({ view }: { view: NodesView }) {
  const t = useTranslations('nodes');
  return (
    <div className="space-y-6">
      {view.nodes.map((n) => {
        const workers = view.workers.filter((w) => w.node === n.node);
        return (
          <Card
            key={n.node}
            title={
              <span className="flex items-center gap-2">
                <span className="font-mono">{n.node}</span>
                {n.gone && <Badge tone="bad">{t('gone')}</Badge>}
                <span className="text-xs font-normal text-slate-500">{t('summary', { alive: n.alive, workers: n.workers, sites: n.sites })}</span>
              </span>
            }
          >
            {n.gone && (
              <p role="status" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-600/20">
                {t.rich('goneNote', { node: n.node, waiting: n.waitingJobs, code })}
              </p>
            )}
            {workers.length === 0 ? (
              <p className="text-sm text-slate-500">{t('neverSeen')}</p>
            ) : (
              <Table>
                <THead>
                  <tr>
                    <TH>{t('table.worker')}</TH>
                    <TH>{t('table.state')}</TH>
                    <TH>{t('table.heartbeat')}</TH>
                    <TH>{t('table.jobs')}</TH>
                    <TH>{t('table.version')}</TH>
                    <TH>{t('table.started')}</TH>
                  </tr>
                </THead>
                <TBody>
                  {workers.map((w) => {
                    const state = w.stoppedAt ? 'stopped' : w.alive ? 'alive' : 'silent';
                    return (
                      <TR key={w.id} data-worker={w.id}>
                        <TD className="break-all font-mono text-xs">{w.id}</TD>
                        <TD><Badge tone={state === 'alive' ? 'good' : state === 'silent' ? 'warn' : 'neutral'}>{t(`state.${state}`)}</Badge></TD>
                        <TD><TimeAgo date={w.heartbeatAt} /></TD>
                        <TD className="tabular-nums">{w.runningJobs}</TD>
                        <TD className="font-mono text-xs">{w.version}</TD>
                        <TD><TimeAgo date={w.startedAt} /></TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </Card>
        );
      })}
    </div>
  );
}

export function NoWorkerYet() {
  const t = useTranslations('nodes');
  return <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">{t.rich('empty', { code })}</p>;
}
