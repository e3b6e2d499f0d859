'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from '@/components/ui/button';
import type { JobActionState } from '@/components/sites/job-action-state';

type QueueAction = (prev: JobActionState, form: FormData) => Promise<JobActionState>;

/** A small form that queues an upgrade or undo job, then links to its live log. */
export function JobFormButton({ action, fields, label, pendingLabel, variant = 'secondary', children, confirm }: {
  action: QueueAction;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  children?: ReactNode;
  confirm?: string;
}) {
  const t = useTranslations('site.confirm');
  const [state, dispatch, pending] = useActionState(action, undefined);
  return (
    <form
      action={dispatch}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className="flex flex-wrap items-end gap-2"
    >
      {Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {children}
      <Button type="submit" variant={variant} disabled={pending} className="whitespace-nowrap">{pending ? pendingLabel : label}</Button>
      {state?.error && <p role="alert" className="w-full text-xs text-red-600">{state.error}</p>}
      {state?.jobId && !state.error && (
        <p role="status" className="w-full text-xs text-slate-600">
          {state.message}{' '}
          <Link href={`/jobs/${state.jobId}`} className="font-medium text-indigo-600 hover:text-indigo-500">{t('follow')}</Link>
        </p>
      )}
    </form>
  );
}
