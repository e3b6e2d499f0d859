'use client';

import { useEffect } from 'react';
import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

/** A page failed to render. The details stay in the server log; the digest links the two. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <ErrorScreen
      code="Error"
      title="Something went wrong"
      actions={
        <>
          <Button onClick={() => reset()}>Try again</Button>
          <ButtonLink href="/">Back to the dashboard</ButtonLink>
        </>
      }
    >
      <p>This page could not be shown. Try again; if it keeps failing, the server log says why.</p>
      {error.digest && <p className="mt-2 font-mono text-xs text-slate-500">Reference: {error.digest}</p>}
    </ErrorScreen>
  );
}
