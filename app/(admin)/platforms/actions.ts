'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { addPlatformSchema, setPlatformSchema } from '@/lib/domain/platform';
import { addPlatform, retirePlatform, setPlatform } from '@/lib/platforms/service';
import { withoutEmpty } from '@/app/_lib/form-input';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const add = formAction(withoutEmpty(addPlatformSchema), async (input, { actor }) => {
  const platform = await addPlatform(actor, input);
  revalidatePath('/platforms');
  return { ok: true, message: `Registered ${platform.name} (${platform.profile}) at ${platform.codePath}.` };
});

export async function addPlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

// An edit form sends every field: an empty one clears the setting ("none" for the service).
const clearEmpty = (v: unknown) => (v === '' ? 'none' : v);
const setForm = z.preprocess(
  (value) => (value && typeof value === 'object' ? { ...value, upgradeCommand: clearEmpty((value as Record<string, unknown>).upgradeCommand), healthCheck: clearEmpty((value as Record<string, unknown>).healthCheck), eol: clearEmpty((value as Record<string, unknown>).eol) } : value),
  setPlatformSchema,
);

const set = formAction(setForm, async (input, { actor }) => {
  const platform = await setPlatform(actor, input);
  revalidatePath('/platforms');
  return { ok: true, message: `Saved ${platform.name}.` };
});

export async function setPlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return set(prev, form);
}

const retire = formAction(z.object({ name: z.string().min(1) }), async (input, { actor }) => {
  const platform = await retirePlatform(actor, input.name);
  revalidatePath('/platforms');
  return { ok: true, message: `${platform.name} is retired.` };
});

export async function retirePlatformAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return retire(prev, form);
}
