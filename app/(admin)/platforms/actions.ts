'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { addPlatformSchema, setPlatformSchema } from '@/lib/domain/platform';
import { addPlatform, retirePlatform, setPlatform } from '@/lib/platforms/service';
import { withoutEmpty } from '@/app/_lib/form-input';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const add = formAction(withoutEmpty(addPlatformSchema), async (input, { actor, t }) => {
  const platform = await addPlatform(actor, input);
  revalidatePath('/platforms');
  const registered = t('platforms.registered', { name: platform.name, profile: platform.profile, path: platform.codePath });
  return { ok: true, message: platform.presetApplied ? `${registered} ${t('platforms.preset', { profile: platform.profile })}` : registered };
});

export async function addPlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

// An edit form sends every field: an empty one clears the setting ("none" for the service).
const clearEmpty = (v: unknown) => (v === '' ? 'none' : v);
const CLEARABLE = ['upgradeCommand', 'installCommand', 'purgeCommand', 'postImportCommand', 'healthCheck', 'eol'] as const;
const setForm = z.preprocess((value) => {
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...v, ...Object.fromEntries(CLEARABLE.map((k) => [k, clearEmpty(v[k])])) };
  if (v.php === '') delete out.php; // "" leaves the PHP version as it is
  return out;
}, setPlatformSchema);

const set = formAction(setForm, async (input, { actor, t }) => {
  const platform = await setPlatform(actor, input);
  revalidatePath('/platforms');
  return { ok: true, message: t('platforms.saved', { name: platform.name }) };
});

export async function setPlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return set(prev, form);
}

const retire = formAction(z.object({ name: z.string().min(1) }), async (input, { actor, t }) => {
  const platform = await retirePlatform(actor, input.name);
  revalidatePath('/platforms');
  return { ok: true, message: t('platforms.retired', { name: platform.name }) };
});

export async function retirePlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return retire(prev, form);
}
