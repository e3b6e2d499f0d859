import type { ReactNode } from 'react';
import { Logo } from '@/components/shell/logo';

/** The frame of the pages people reach before signing in: the logo, a card, and notes under it. */
export function AuthShell({ title, intro, children, footer }: { title: string; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Logo href="/login" />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-1 text-lg font-semibold text-slate-900">{title}</h1>
          {intro && <p className="mb-5 text-sm text-slate-600">{intro}</p>}
          {children}
        </div>
        {footer && <div className="mt-4 space-y-2 text-center text-xs text-slate-600">{footer}</div>}
      </div>
    </main>
  );
}
