'use client';

import { useActionState, useEffect, useState } from 'react';
import { checkSitesHealthAction, disableSitesAction, measureSitesAction } from '@/app/(admin)/sites/actions';
import { Button, ButtonLink } from '@/components/ui/button';
import { useTranslations } from 'next-intl';
import type { JobActionState } from './job-action-state';
import { FollowJobs } from './follow-jobs';
import { useSelection } from './selection';

type Op = 'measure' | 'health' | 'disable';

/**
 * The bar above the list: how many rows are ticked and what can be done to them now. Sizes
 * and health are queued as one job for all the selected sites; disabling asks first.
 * Upgrading opens the new-run form with the selection (or, with `filter`, every site the
 * filters give) filled in: the run is previewed and started there.
 */
export function BulkActions({ filter }: { filter?: { href: string; total: number } } = {}) {
  const t = useTranslations('sitesList.bulk');
  const { selected, clear } = useSelection();
  const [measureState, measure, measuring] = useActionState(measureSitesAction, undefined);
  const [healthState, health, checking] = useActionState(checkSitesHealthAction, undefined);
  const [disableState, disable, disabling] = useActionState(disableSitesAction, undefined);
  const [last, setLast] = useState<Op | null>(null);
  const [confirming, setConfirming] = useState(false);
  const hosts = [...selected].sort().join(',');
  const count = selected.size;
  const state: JobActionState = last === 'measure' ? measureState : last === 'health' ? healthState : last === 'disable' ? disableState : undefined;
  const busy = measuring || checking || disabling;
  // The question closes once the answer is back (closing it on click would drop the form being sent).
  useEffect(() => setConfirming(false), [disableState]);

  const form = (op: Op, action: (f: FormData) => void, children: React.ReactNode) => (
    <form action={action} onSubmit={() => setLast(op)} className="contents">
      <input type="hidden" name="hosts" value={hosts} />
      {children}
    </form>
  );

  return (
    <div aria-label={t('label')} role="region" className="mb-3 rounded-lg border border-slate-200 bg-white px-4 py-2.5 shadow-xs">
      <div className="flex min-h-8 flex-wrap items-center gap-2">
        <p className="mr-auto text-sm text-slate-600" aria-live="polite">
          {count ? (
            <>
              {t.rich('selected', { count, b: (chunks) => <strong className="font-semibold text-slate-900">{chunks}</strong> })}{' '}
              <button type="button" onClick={() => { clear(); setConfirming(false); }} className="ml-1 text-xs font-medium text-indigo-600 hover:text-indigo-500">
                {t('clear')}
              </button>
            </>
          ) : (
            t('hint')
          )}
        </p>
        {confirming ? (
          form(
            'disable',
            disable,
            <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              {t('confirmDisable', { count })}
              <Button type="submit" variant="danger" disabled={!count || busy}>
                {disabling ? t('disabling') : t('disableCount', { count })}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
                {t('cancel')}
              </Button>
            </span>,
          )
        ) : (
          <>
            {form('measure', measure, <Button type="submit" variant="secondary" disabled={!count || busy}>{measuring ? t('queuing') : t('measure')}</Button>)}
            {form('health', health, <Button type="submit" variant="secondary" disabled={!count || busy}>{checking ? t('queuing') : t('health')}</Button>)}
            <Button type="button" variant="secondary" disabled={!count || busy} onClick={() => setConfirming(true)}>
              {t('disable')}
            </Button>
            {count > 0 ? (
              <ButtonLink href={`/runs?hosts=${encodeURIComponent(hosts)}`}>{t('upgradeSelected')}</ButtonLink>
            ) : (
              filter && <ButtonLink href={filter.href}>{t('upgradeThese', { total: filter.total })}</ButtonLink>
            )}
          </>
        )}
      </div>
      {state?.error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {state.error}
        </p>
      )}
      {state?.message && !state.error && (
        <p role="status" className="mt-2 text-sm text-emerald-800">
          {state.message}{' '}
          <FollowJobs state={state} follow={t('follow')} />
        </p>
      )}
    </div>
  );
}
