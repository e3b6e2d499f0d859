'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import * as z from 'zod';
import { formAction, type ActionState, type ActionWords } from '@/lib/auth/action';
import type { Actor } from '@/lib/domain/actor';
import { emailSchema } from '@/lib/domain/user';
import { EngineError, SiteError } from '@/lib/sites/errors';
import { localizedError } from '@/lib/i18n/errors';
import { requestDestroy, setSiteEnabled } from '@/lib/sites/lifecycle';
import { requestDbPasswordChange } from '@/lib/sites/db-password';
import { requestSite } from '@/lib/sites/request';
import { healthHandler } from '@/lib/sites/health-handler';
import { measureHandler } from '@/lib/sites/measure-handler';
import { queueForSites as queueOnDemand } from '@/lib/sites/on-demand';
import { checkbox, withoutEmpty } from '@/app/_lib/form-input';
import { queueSiteJob } from '@/app/_lib/site-creation';
import type { JobActionState } from '@/components/sites/job-action-state';
import { confirmsHost } from '@/lib/domain/host';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const createSiteForm = (t: ActionWords) => withoutEmpty(
  z.object({
    host: z.string().trim().min(1, t('sites.hostRequired')).max(300),
    platform: z.string().trim().optional(),
    server: z.string().trim().optional(),
    sharedDb: checkbox,
    webmaster: emailSchema.optional(),
    node: z.string().trim().max(253).optional(),
  }),
);

// An engine the platform's application cannot use is told under the server field.
const create = formAction(createSiteForm, async (input, { actor }) =>
  queueSiteJob(input.host, () => requestSite(actor, input), (err) => (err instanceof EngineError ? 'server' : undefined)),
);

const hostField = z.string().trim().min(1).max(300);

// Disabling asks for the host again (`confirm`), as destroying does; enabling does not.
const setEnabled = formAction(z.object({ host: hostField, enabled: z.enum(['true', 'false']), confirm: z.string().trim().toLowerCase().max(300).optional() }), async ({ host, enabled, confirm }, { actor, t }) => {
  if (enabled === 'false' && !confirmsHost(confirm, host)) return { error: t('confirmHost', { host }) };
  const site = await setSiteEnabled(actor, host, enabled === 'true');
  revalidatePath(`/sites/${site.host}`);
  revalidatePath('/sites');
  return { ok: true, message: t('sites.status', { host: site.host, status: site.status }) };
});

const destroy = formAction(z.object({ host: hostField, confirm: z.string().trim().max(300), dropDatabase: checkbox }), async ({ host, confirm, dropDatabase }, { actor }) => {
  const { job } = await requestDestroy(actor, host, confirm.toLowerCase(), { dropDatabase });
  revalidatePath('/sites');
  redirect(`/jobs/${job.id}`);
});

// Bulk actions receive the selected hosts as one field ("a.org,b.org"): a form's repeated
// fields would collapse to the last one on the way through formAction.
const MAX_SELECTED = 500;
const hostsForm = (t: ActionWords) =>
  z.object({
    hosts: z
      .string()
      .transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean).map((h) => h.toLowerCase()))])
      .pipe(z.array(hostField).min(1, t('sites.selectOne')).max(MAX_SELECTED, t('sites.selectAtMost', { n: MAX_SELECTED }))),
  });

/** Queues one job of `kind` per node of the given sites, and answers with every one of them. */
async function queueForSites(
  { actor, t }: { actor: Actor; t: ActionWords },
  handler: typeof measureHandler | typeof healthHandler,
  hosts: string[],
  queued: 'sites.measureQueued' | 'sites.healthQueued',
): Promise<JobActionState> {
  const r = await queueOnDemand(actor, handler, hosts);
  if ('unknown' in r) return { error: t('sites.unknown', { hosts: `${r.unknown.slice(0, 3).join(', ')}${r.unknown.length > 3 ? '…' : ''}` }) };
  return { ok: true, jobId: r.jobs[0]!.id, jobs: r.jobs, message: t(queued, { target: r.one ?? t('sites.count', { n: r.sites }) }) };
}

// One site, in the field QueueJobButton sends.
const changeDbPassword = formAction(z.object({ hosts: hostField }), async ({ hosts }, { actor, t }): Promise<JobActionState> => {
  const { site, job } = await requestDbPasswordChange(actor, hosts);
  return { ok: true, jobId: job.id, message: t('sites.dbPasswordQueued', { host: site.host }) };
});

const measure = formAction(hostsForm, async ({ hosts }, ctx) => queueForSites(ctx, measureHandler, hosts, 'sites.measureQueued'));

const checkHealth = formAction(hostsForm, async ({ hosts }, ctx) => queueForSites(ctx, healthHandler, hosts, 'sites.healthQueued'));

const disableMany = formAction(hostsForm, async ({ hosts }, { actor, locale, t }) => {
  const disabled: string[] = [];
  const refused: string[] = [];
  for (const host of hosts) {
    try {
      disabled.push((await setSiteEnabled(actor, host, false)).host);
    } catch (err) {
      if (!(err instanceof SiteError)) throw err;
      refused.push(localizedError(err, locale).message);
    }
  }
  revalidatePath('/sites');
  const reasons = refused.slice(0, 3).join('; ');
  const notes = !refused.length ? '' : ` ${refused.length > 3 ? t('sites.leftAloneMore', { reasons, n: refused.length - 3 }) : t('sites.leftAlone', { reasons })}`;
  if (!disabled.length) return { error: `${t('sites.noneDisabled')}${notes}` };
  return { ok: true, message: `${t('sites.disabled', { n: disabled.length })}${notes}` };
});

export async function measureSitesAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return measure(prev, form);
}

export async function checkSitesHealthAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return checkHealth(prev, form);
}

export async function disableSitesAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return disableMany(prev, form);
}

export async function changeDbPasswordAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return changeDbPassword(prev, form);
}

export async function createSiteAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return create(prev, form);
}

export async function setSiteEnabledAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return setEnabled(prev, form);
}

export async function destroySiteAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return destroy(prev, form);
}
