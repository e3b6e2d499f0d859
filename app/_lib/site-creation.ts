import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ActionState } from '@/lib/auth/action';
import { HostError, siteHosts } from '@/lib/domain/host';
import { localizedError } from '@/lib/i18n/errors';
import { MutuError } from '@/lib/domain/errors';
import { SiteError } from '@/lib/sites/errors';

/**
 * Queues a job that makes a site (creation, import) from a form and opens the job's page.
 * The host rules are checked first, so their message lands under the host field, as does a
 * host already taken; `fieldFor` names the field the request's other refusals go under, said
 * in the reader's language.
 */
export async function queueSiteJob(
  host: string,
  request: () => Promise<{ job: { id: string } }>,
  fieldFor: (err: unknown) => string | undefined = () => undefined,
): Promise<ActionState> {
  // In the signed-in person's language, as formAction's own answers (i18n/request.ts).
  const invalid = async () => (await getTranslations('serverErrors'))('invalidValues');
  try {
    siteHosts(host);
  } catch (err) {
    if (err instanceof HostError) return { error: await invalid(), fields: { host: localizedError(err, await getLocale()).message } };
    throw err;
  }
  let jobId: string;
  try {
    jobId = (await request()).job.id;
  } catch (err) {
    const field = err instanceof SiteError && err.status === 409 ? 'host' : fieldFor(err);
    if (field && err instanceof MutuError) return { error: await invalid(), fields: { [field]: localizedError(err, await getLocale()).message } };
    throw err;
  }
  revalidatePath('/sites');
  redirect(`/jobs/${jobId}`);
}
