'use client';

import { useEffect, useRef, useState, type ComponentProps } from 'react';
import { Input } from '@/components/ui/form';
import { useListNavigation } from './use-list-navigation';

const DEBOUNCE_MS = 250;

/**
 * A text box bound to one URL parameter, updated as the person types (after a short pause).
 * What it sends is trimmed and lower-cased, as the server reads it; a change of the URL from
 * elsewhere (a "clear filters" link, back) shows up in the box when it does not have the focus.
 */
export function DebouncedParamInput({ param, value, onPendingChange, ...props }: {
  param: string;
  /** the parameter's value in the current URL */
  value: string;
  onPendingChange?: (pending: boolean) => void;
} & Omit<ComponentProps<'input'>, 'value' | 'onChange'>) {
  const { update, pending } = useListNavigation();
  const [text, setText] = useState(value);
  const sent = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // While the person types, their text wins over a render that was on its way.
    if (value !== sent.current && document.activeElement !== input.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => onPendingChange?.(pending), [pending, onPendingChange]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <Input
      {...props}
      ref={input}
      value={text}
      onChange={(e) => {
        const typed = e.target.value;
        setText(typed);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          const normal = typed.trim().toLowerCase();
          if (normal === sent.current) return;
          sent.current = normal;
          update({ [param]: normal || null });
        }, DEBOUNCE_MS);
      }}
    />
  );
}
