'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { addServer, removeServer, setDefaultServer } from '@/lib/databases/server-registry';
import { addServerSchemaIn, serverNameSchema } from '@/lib/domain/server';
import { say } from '@/lib/i18n/errors';
import { checkbox, withoutEmpty } from '@/app/_lib/form-input';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.
// The admin password goes one way: into addServer, which stores it encrypted. No state returns it.

// The fields' hints are the command line's, in the reader's language.
const add = formAction((_, locale) => withoutEmpty(addServerSchemaIn((key) => say(locale, key)).extend({ makeDefault: checkbox })), async (input, { actor, t }) => {
  const { server, version } = await addServer(actor, input);
  revalidatePath('/servers');
  return { ok: true, message: t(server.isDefault ? 'servers.registeredDefault' : 'servers.registered', { name: server.name, version: version ?? server.engine }) };
});

const byName = z.object({ name: serverNameSchema });

const remove = formAction(byName, async ({ name }, { actor, t }) => {
  await removeServer(actor, name);
  revalidatePath('/servers');
  return { ok: true, message: t('servers.removed', { name }) };
});

const makeDefault = formAction(byName, async ({ name }, { actor, t }) => {
  await setDefaultServer(actor, name);
  revalidatePath('/servers');
  return { ok: true, message: t('servers.madeDefault', { name }) };
});

export async function addServerAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return add(prev, form);
}

export async function removeServerAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return remove(prev, form);
}

export async function makeDefaultServerAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return makeDefault(prev, form);
}
