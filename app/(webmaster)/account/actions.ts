'use server';

import { z } from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { changeOwnPassword } from '@/lib/users/account';
import { accountText } from '@/lib/texts/account';
import { passwordSchema } from '@/lib/domain/user';

/** Any signed-in person, for their own account only: the user comes from the session, never from the form. */
const change = formAction(
  z.object({ current: z.string().max(1024), password: passwordSchema }),
  async ({ current, password }, { user, actor }) => {
    const { email } = await changeOwnPassword(actor, user.id, current, password);
    return { ok: true, message: accountText.change.done, fields: { email } };
  },
  { role: 'any' },
);

export async function changePasswordAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return change(prev, form);
}
