'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { endAllSessions } from '@/lib/auth/sessions';

// next-auth's session cookie: `__Secure-` behind https, split in numbered chunks when large.
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** Ends every session of the signed-in user (a lost laptop, a shared computer), this browser's too. */
const signOutEverywhere = formAction(
  z.object({}),
  async (_input, { user, actor }) => {
    await endAllSessions(actor, user.id);
    const jar = await cookies();
    for (const { name } of jar.getAll()) {
      if (SESSION_COOKIE.test(name)) jar.set(name, '', { maxAge: 0, path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') });
    }
    redirect('/login');
  },
  { role: 'any' },
);

export async function signOutEverywhereAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return signOutEverywhere(prev, form);
}
