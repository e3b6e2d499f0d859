'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction } from '@/lib/auth/action';
import { createUserSchema, emailSchema, roleSchema } from '@/lib/domain/user';
import { createUser, deleteUser, setPassword, setRole } from '@/lib/users/service';
import type { UserActionState } from '@/components/users/action-state';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const create = formAction(createUserSchema, async (input, { actor, t }) => {
  const { user, generatedPassword } = await createUser(actor, input);
  revalidatePath('/users');
  const state: UserActionState = {
    ok: true,
    email: user.email,
    password: generatedPassword,
    message: t('users.created', { email: user.email, role: user.role }),
  };
  return state;
});

const resetPassword = formAction(z.object({ email: emailSchema }), async ({ email }, { actor, t }) => {
  const { user, generatedPassword } = await setPassword(actor, email);
  revalidatePath('/users');
  const state: UserActionState = { ok: true, email: user.email, password: generatedPassword, message: t('users.passwordSet', { email: user.email }) };
  return state;
});

const remove = formAction(
  z.object({ email: emailSchema, confirm: z.string().trim().toLowerCase() }),
  async ({ email, confirm }, { actor, user, t }) => {
    if (confirm !== email) return { error: t('users.confirmDelete', { email }) };
    if (email === user.email) return { error: t('users.notSelf') };
    await deleteUser(actor, email);
    revalidatePath('/users');
    return { ok: true, message: t('users.deleted', { email }) };
  },
);

const changeRole = formAction(z.object({ email: emailSchema, role: roleSchema }), async ({ email, role }, { actor, t }) => {
  const { user, changed } = await setRole(actor, email, role);
  revalidatePath('/users');
  return { ok: true, message: t(changed ? 'users.roleChanged' : 'users.roleSame', { email: user.email, role: user.role }) };
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
