'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { SIGNUP_TOKEN_HEADER, type SignupAccepted, type SignupProgress } from '@/app/_lib/signup-progress';
import { ProgressBar } from '@/components/ui/progress-bar';
import { cx } from '@/components/ui/cx';
import { currentStepIndex, SIGNUP_STEPS } from './signup-steps';

async function fetchProgress({ jobId, token }: SignupAccepted): Promise<SignupProgress> {
  const res = await fetch(`/api/signup/${encodeURIComponent(jobId)}`, {
    headers: { accept: 'application/json', [SIGNUP_TOKEN_HEADER]: token },
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  return (await res.json()) as SignupProgress;
}

/** Follows the creation of the visitor's site each second until it is over, then tells the parent. */
export function SignupProgressView({ signup, onDone }: { signup: SignupAccepted; onDone: (result: SignupProgress) => void }) {
  const t = useTranslations('create');
  const { data, error } = useQuery({
    queryKey: ['signup', signup.jobId],
    queryFn: () => fetchProgress(signup),
    refetchInterval: (q) => (q.state.data?.done ? false : 1000),
  });

  useEffect(() => {
    if (data?.done) onDone(data);
  }, [data, onDone]);

  const current = currentStepIndex(data?.step ?? null);
  const undoing = data?.status === 'undoing';
  return (
    <div className="space-y-4" aria-live="polite">
      <div>
        <h2 className="text-base font-semibold text-slate-900">{t('creating', { host: signup.host })}</h2>
        <p className="text-sm text-slate-500">{t('creatingHint')}</p>
      </div>
      <ProgressBar fraction={data?.progress ?? 0} tone={undoing ? 'muted' : 'accent'} label={t('progress')} className="h-2" />
      <ol className="space-y-1.5 text-sm">
        {SIGNUP_STEPS.map((s, i) => {
          const state = undoing ? 'pending' : i < current || (data?.done && !data.error) ? 'done' : i === current ? 'current' : 'pending';
          return (
            <li key={s} className="flex items-center gap-2">
              <span
                aria-hidden
                className={cx(
                  'grid size-4 place-items-center rounded-full text-[10px] font-bold',
                  state === 'done' && 'bg-emerald-500 text-white',
                  state === 'current' && 'animate-pulse bg-indigo-500',
                  state === 'pending' && 'bg-slate-200',
                )}
              >
                {state === 'done' ? '✓' : ''}
              </span>
              <span className={state === 'pending' ? 'text-slate-500' : 'text-slate-700'}>
                {t(`steps.${s}`)}
                <span className="sr-only"> ({t('stepState', { state })})</span>
              </span>
            </li>
          );
        })}
      </ol>
      {undoing && <p className="text-sm text-amber-700">{t('undoing')}</p>}
      {error && <p className="text-xs text-slate-500">{t('progressUnreadable')}</p>}
    </div>
  );
}
