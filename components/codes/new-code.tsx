'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** A new activation code, shown this once: Mutu keeps only its hash. */
export function NewCode({ code, label }: { code: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-inset ring-amber-600/25">
      <p className="font-medium text-amber-900">Activation code{label ? ` “${label}”` : ''}: shown only this once</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          data-testid="new-code"
          className="select-all break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-amber-600/25"
        >
          {code}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="mt-2 text-xs text-amber-800">
        Copy it now and hand it over through a safe channel, with the address of the self-service page (/create). Mutu stores
        only a hash: it cannot show this code again (revoke it and create another if it is lost).
      </p>
    </div>
  );
}
