'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { ActionState } from '@/lib/auth/action';

/**
 * A form bound to a server action, submitted by hand so that the fields keep what was typed
 * when the server refuses something (React empties a form after its `action` runs). The form
 * is emptied after a success unless `keepOnSuccess`; `afterEach` runs after every outcome.
 */
export function useFormAction<S extends ActionState>(
  action: (prev: S, form: FormData) => Promise<S>,
  options: { keepOnSuccess?: boolean; afterEach?: (state: NonNullable<S>) => void } = {},
) {
  const [awaited, dispatch, pending] = useActionState<S, FormData>(action as (prev: Awaited<S>, form: FormData) => Promise<S>, undefined as Awaited<S>);
  const state = awaited as S; // S is never a promise: Awaited<S> is S
  const form = useRef<HTMLFormElement>(null);
  // The latest options, read by the effect below without re-running it when a caller passes new ones.
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    if (!state) return;
    if (state.ok && !optionsRef.current.keepOnSuccess) form.current?.reset();
    optionsRef.current.afterEach?.(state);
  }, [state]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, pending, form, onSubmit };
}
