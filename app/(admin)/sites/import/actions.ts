'use server';

import * as z from 'zod';
import { formAction, type ActionState, type ActionWords } from '@/lib/auth/action';
import { emailSchema } from '@/lib/domain/user';
import { requestImport } from '@/lib/imports/request';
import { ImportError } from '@/lib/imports/source';
import { EngineError } from '@/lib/sites/errors';
import { withoutEmpty } from '@/app/_lib/form-input';
import { queueSiteJob } from '@/app/_lib/site-creation';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const importForm = (t: ActionWords) => withoutEmpty(
  z.object({
    from: z.string().trim().min(1, t('sites.importFrom')).max(4096),
    host: z.string().trim().min(1, t('sites.importHost')).max(300),
    platform: z.string().trim().optional(),
    server: z.string().trim().optional(),
    webmaster: emailSchema.optional(),
  }),
);

const importSite = formAction(importForm, async (input, { actor }): Promise<ActionState> =>
  queueSiteJob(input.host, () => requestImport(actor, input), (err) =>
    // what is wrong with the export folder goes under its field, an engine the platform cannot use under the server
    err instanceof EngineError ? 'server'
    : err instanceof ImportError && /manifest|holds|missing|regular file|bytes where|exist|zip/.test(err.message) ? 'from' : undefined,
  ),
);

export async function importSiteAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return importSite(prev, form);
}
