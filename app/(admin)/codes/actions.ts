'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { createCode, revokeCode } from '@/lib/codes/service';
import { createCodeSchema } from '@/lib/domain/code';
import { engineLabel } from '@/lib/domain/server';
import { EngineError } from '@/lib/domain/errors';
import { withoutEmpty } from '@/app/_lib/form-input';
import { localizedError } from '@/lib/i18n/errors';
import { translatorFor } from '@/lib/i18n/messages';
import type { CodeActionState } from '@/components/codes/action-state';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const create = formAction(withoutEmpty(createCodeSchema), async (input, { actor, locale, t }) => {
  let made;
  try {
    made = await createCode(actor, input);
  } catch (err) {
    // No server the platform's application can use: said under the platform.
    if (err instanceof EngineError) return { error: translatorFor(locale, 'serverErrors')('invalidValues'), fields: { platform: localizedError(err, locale).message } };
    throw err;
  }
  const { code, row, server } = made;
  revalidatePath('/codes');
  const state: CodeActionState = { ok: true, code, label: row.label, message: t('codes.created', { label: row.label, server: server.name, engine: engineLabel(server.engine) }) };
  return state;
});

const revoke = formAction(z.object({ id: z.string().trim().min(1).max(64) }), async ({ id }, { actor, t }) => {
  const row = await revokeCode(actor, id);
  revalidatePath('/codes');
  return { ok: true, message: t('codes.revoked', { label: row.label }) };
});

export async function createCodeAction(prev: CodeActionState, form: FormData): Promise<CodeActionState> {
  return create(prev, form);
}

export async function revokeCodeAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return revoke(prev, form);
}
