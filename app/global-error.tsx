'use client';

import './globals.css';

/** The root layout itself failed: this page has to bring its own html and body. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="flex min-h-screen items-center justify-center px-4">
          <div className="max-w-md text-center">
            <p className="text-sm font-semibold text-indigo-600">Error</p>
            <h1 className="mt-2 text-2xl font-semibold text-slate-900">Mutu could not show this page</h1>
            <p className="mt-3 text-sm text-slate-600">Try again; if it keeps failing, the server log says why.</p>
            {error.digest && <p className="mt-2 font-mono text-xs text-slate-500">Reference: {error.digest}</p>}
            <div className="mt-6 flex justify-center gap-3">
              <button type="button" onClick={() => reset()} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                Try again
              </button>
              {/* A plain link: a full reload, since the app's own navigation is what failed. */}
              <a href="/" className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
                Home
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
