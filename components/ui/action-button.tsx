'use client';

import { useActionState, useEffect, useRef } from 'react';
import type { ActionState } from '@/lib/auth/action';
import { Button, type ButtonVariant } from './button';
import { cx } from './cx';

type FormActionFn = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A one-button form for a server action (revoke, remove, make default...): the values it
 * acts on travel as hidden fields, and the outcome is shown beside the button.
 */
export function ActionButton({ action, fields, label, pendingLabel, variant = 'secondary', className, title, onDone }: {
  action: FormActionFn;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: ButtonVariant;
  className?: string;
  title?: string;
  /** Called once per successful action, for views that must refresh what they show. */
  onDone?: () => void;
}) {
  const [state, dispatch, pending] = useActionState(action, undefined);
  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });
  useEffect(() => {
    if (state && !state.error) onDoneRef.current?.();
  }, [state]);
  return (
    <form action={dispatch} className={cx('inline-flex flex-col items-end gap-1', className)}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={pending} title={title} className="whitespace-nowrap">
        {pending ? (pendingLabel ?? `${label}…`) : label}
      </Button>
      {state?.error && (
        <p role="alert" className="w-64 max-w-full text-right text-xs text-red-600">
          {state.error}
        </p>
      )}
      {state?.message && !state.error && (
        <p role="status" className="w-64 max-w-full text-right text-xs text-slate-600">
          {state.message}
        </p>
      )}
    </form>
  );
}
