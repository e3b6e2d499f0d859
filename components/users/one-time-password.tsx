'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** A generated password, shown this once: Mutu keeps only its hash. */
export function OneTimePassword({ email, password }: { email?: string; password: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-inset ring-amber-600/25" data-testid="one-time-password">
      <p className="font-medium text-amber-900">Password{email ? ` for ${email}` : ''}: shown only this once</p>
      <div className="mt-2 flex items-center gap-2">
        <code className="select-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-amber-600/25">{password}</code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(password).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="mt-2 text-xs text-amber-800">
        Copy it now and hand it over through a safe channel. Mutu stores only a hash: it cannot show it again (reset the
        password to make a new one).
      </p>
    </div>
  );
}
