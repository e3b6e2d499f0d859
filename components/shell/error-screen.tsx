import type { ReactNode } from 'react';

/** A full-page message for errors: the code, what happened, and a way on. */
export function ErrorScreen({ code, title, children, actions }: { code: string; title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">{code}</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {children && <div className="mt-3 text-sm text-slate-600">{children}</div>}
        {actions && <div className="mt-6 flex justify-center gap-3">{actions}</div>}
      </div>
    </main>
  );
}
