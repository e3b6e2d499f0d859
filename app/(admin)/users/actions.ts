'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/lib/auth/action';
import { createUserSchema, emailSchema, roleSchema } from '@/lib/domain/user';
import { createUser, deleteUser, setPassword, setRole } from '@/lib/users/service';
import { webmastersText } from '@/lib/texts/webmasters';
import type { UserActionState } from '@/components/users/action-state';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const create = formAction(createUserSchema, async (input, { actor }) => {
  const { user, generatedPassword } = await createUser(actor, input);
  revalidatePath('/users');
  const state: UserActionState = {
    ok: true,
    email: user.email,
    password: generatedPassword,
    message: `${user.email} can now sign in as ${user.role}.`,
  };
  return state;
});

const resetPassword = formAction(z.object({ email: emailSchema }), async ({ email }, { actor }) => {
  const { user, generatedPassword } = await setPassword(actor, email);
  revalidatePath('/users');
  const state: UserActionState = { ok: true, email: user.email, password: generatedPassword, message: `New password set for ${user.email}.` };
  return state;
});

const remove = formAction(
  z.object({ email: emailSchema, confirm: z.string().trim().toLowerCase() }),
  async ({ email, confirm }, { actor, user }) => {
    if (confirm !== email) return { error: `Type ${email} exactly to confirm the deletion.` };
    if (email === user.email) return { error: 'You cannot delete your own account while signed in with it; ask another admin.' };
    await deleteUser(actor, email);
    revalidatePath('/users');
    return { ok: true, message: `${email} was deleted.` };
  },
);

const changeRole = formAction(z.object({ email: emailSchema, role: roleSchema }), async ({ email, role }, { actor }) => {
  const { user, changed } = await setRole(actor, email, role);
  revalidatePath('/users');
  const t = webmastersText.users;
  return { ok: true, message: changed ? t.roleChanged(user.email, user.role) : t.roleSame(user.email, user.role) };
});

export async function changeRoleAction(prev: UserActionState, form: FormData): Promise<UserActionState> {
  return changeRole(prev, form);
}

export async function createUserAction(prev: UserActionState, form: FormData): Promise<UserActionState> {
  return create(prev, form);
}

export async function resetPasswordAction(prev: UserActionState, form: FormData): Promise<UserActionState> {
  return resetPassword(prev, form);
}

export async function deleteUserAction(prev: UserActionState, form: FormData): Promise<UserActionState> {
  return remove(prev, form);
}
