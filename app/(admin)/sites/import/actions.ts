'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction, type ActionState } from '@/lib/auth/action';
import { HostError, siteHosts } from '@/lib/domain/host';
import { emailSchema } from '@/lib/domain/user';
import { requestImport } from '@/lib/imports/request';
import { ImportError } from '@/lib/imports/source';
import { SiteError } from '@/lib/sites/errors';
import { withoutEmpty } from '@/app/_lib/form-input';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const importForm = withoutEmpty(
  z.object({
    from: z.string().trim().min(1, 'the folder of an export on this server').max(4096),
    host: z.string().trim().min(1, 'the new site host, such as blog.example.org').max(300),
    platform: z.string().trim().optional(),
    server: z.string().trim().optional(),
    webmaster: emailSchema.optional(),
  }),
);

const importSite = formAction(importForm, async (input, { actor }): Promise<ActionState> => {
  try {
    siteHosts(input.host);
  } catch (err) {
    if (err instanceof HostError) return { error: 'Some values are not valid.', fields: { host: err.message } };
    throw err;
  }
  let jobId: string;
  try {
    jobId = (await requestImport(actor, input)).job.id;
  } catch (err) {
    if (err instanceof SiteError && err.status === 409) return { error: 'Some values are not valid.', fields: { host: err.message } };
    if (err instanceof ImportError && /manifest|holds no|missing|regular file|bytes where/.test(err.message)) return { error: 'Some values are not valid.', fields: { from: err.message } };
    throw err;
  }
  revalidatePath('/sites');
  redirect(`/jobs/${jobId}`);
});

export async function importSiteAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return importSite(prev, form);
}
