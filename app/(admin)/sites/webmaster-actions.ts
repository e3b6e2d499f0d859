'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { emailSchema } from '@/lib/domain/user';
import { addWebmaster, removeWebmaster } from '@/lib/sites/webmasters';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const siteAndEmail = z.object({ host: z.string().trim().min(1).max(300), email: emailSchema });

const add = formAction(siteAndEmail, async ({ host, email }, { actor, locale, t }) => {
  const r = await addWebmaster(actor, host, email, locale);
  revalidatePath(`/sites/${r.site.host}`);
  revalidatePath('/users');
  if (r.mailError) return { ok: true, error: t('webmasters.mailFailed', { email: r.user.email, error: r.mailError }) };
  return { ok: true, message: t(r.newAccount ? 'webmasters.addedNew' : 'webmasters.added', { email: r.user.email, host: r.site.host }) };
});

const remove = formAction(siteAndEmail, async ({ host, email }, { actor, t }) => {
  const r = await removeWebmaster(actor, host, email);
  revalidatePath(`/sites/${r.site.host}`);
  revalidatePath('/users');
  return { ok: true, message: t('webmasters.removed', { email: r.email, host: r.site.host }) };
});

export async function addWebmasterAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

export async function removeWebmasterAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return remove(prev, form);
}
