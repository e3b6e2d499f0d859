'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { emailSchema } from '@/lib/domain/user';
import { addWebmaster, removeWebmaster } from '@/lib/sites/webmasters';
import { webmastersText as t } from '@/lib/texts/webmasters';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const siteAndEmail = z.object({ host: z.string().trim().min(1).max(300), email: emailSchema });

const add = formAction(siteAndEmail, async ({ host, email }, { actor }) => {
  const r = await addWebmaster(actor, host, email);
  revalidatePath(`/sites/${r.site.host}`);
  revalidatePath('/users');
  return r.mailError ? { ok: true, error: t.addedMailFailed(r.user.email, r.mailError) } : { ok: true, message: t.added(r.user.email, r.site.host, r.newAccount) };
});

const remove = formAction(siteAndEmail, async ({ host, email }, { actor }) => {
  const r = await removeWebmaster(actor, host, email);
  revalidatePath(`/sites/${r.site.host}`);
  revalidatePath('/users');
  return { ok: true, message: t.removed(r.email, r.site.host) };
});

export async function addWebmasterAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

export async function removeWebmasterAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return remove(prev, form);
}
