'use client';

import { useTranslations } from 'next-intl';

/** Said on a queued job bound to a node none of whose workers is alive: it waits, it has not failed. */
export function WaitingForNode({ node }: { node: string }) {
  const t = useTranslations('nodes.job');
  return (
    <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/20">
      {t.rich('waiting', { node, b: (chunks) => <strong className="font-medium">{chunks}</strong> })}
    </p>
  );
}

/** The node a job is bound to, for the job's details. */
export function JobNode({ node }: { node: string | null }) {
  const t = useTranslations('nodes.job');
  return <>{node ?? t('anyNode')}</>;
}

export function JobNodeLabel() {
  return <>{useTranslations('nodes.job')('node')}</>;
}
