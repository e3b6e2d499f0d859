import type { ComponentProps, ReactNode } from 'react';
import { cx } from './cx';

const control =
  'block h-8 w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 ' +
  'placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none';

/** A label, its control, a hint and the field's error. */
export function Field({ label, htmlFor, hint, error, children, className }: {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cx('space-y-1', className)}>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p className="text-xs text-red-600">{error}</p>
      ) : (
        hint && <p className="text-xs text-slate-500">{hint}</p>
      )}
    </div>
  );
}

export const Input = ({ className, ...props }: ComponentProps<'input'>) => <input className={cx(control, className)} {...props} />;

export const Textarea = ({ className, ...props }: ComponentProps<'textarea'>) => (
  <textarea className={cx(control, 'h-auto min-h-16 font-mono text-xs', className)} {...props} />
);

export const Select = ({ className, ...props }: ComponentProps<'select'>) => (
  <select className={cx(control, 'pr-8', className)} {...props} />
);

/** The outcome of a form action: a success note or an error, announced to screen readers. */
export function FormMessage({ state }: { state?: { ok?: boolean; message?: string; error?: string } }) {
  if (state?.error) {
    return (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-600/20">
        {state.error}
      </p>
    );
  }
  if (state?.message) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-600/20">
        {state.message}
      </p>
    );
  }
  return null;
}
