'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        // No server-side redirect: next-auth builds it from NEXTAUTH_URL, which may not be
        // this address. A full load of /login also drops every cached query of the session.
        await signOut({ redirect: false, callbackUrl: '/login' }).catch(() => undefined);
        window.location.assign('/login');
      }}
    >
      Sign out
    </Button>
  );
}
