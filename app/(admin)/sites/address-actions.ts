'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { addAlias, moveSite, removeAlias } from '@/lib/sites/addresses';
import { checkbox } from '@/app/_lib/form-input';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const hostField = z.string().trim().min(1).max(300);
const done = (host: string, message: string): ActionState => {
  revalidatePath(`/sites/${host}`);
  return { ok: true, message };
};

const add = formAction(z.object({ host: hostField, alias: hostField, serve: checkbox }), async ({ host, alias, serve }, { actor, t }) => {
  const r = await addAlias(actor, host, alias, { serve });
  const said = t(r.serve ? 'addresses.serves' : 'addresses.redirects', { alias: r.alias, host: r.site.host });
  return done(r.site.host, r.certificateJob ? `${said} ${t('addresses.certificateAsked')}` : said);
});

const remove = formAction(z.object({ host: hostField, alias: hostField }), async ({ host, alias }, { actor, t }) => {
  const r = await removeAlias(actor, host, alias);
  return done(r.site.host, t('addresses.removed', { alias: r.alias }));
});

const move = formAction(z.object({ host: hostField, to: z.string().trim().max(2000) }), async ({ host, to }, { actor, t }) => {
  const r = await moveSite(actor, host, to === '' ? null : to);
  revalidatePath('/sites');
  return done(r.site.host, r.to ? t('addresses.movedTo', { host: r.site.host, to: r.to }) : t('addresses.answersAgain', { host: r.site.host }));
});

export async function addAliasAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

export async function removeAliasAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return remove(prev, form);
}

export async function moveSiteAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return move(prev, form);
}
