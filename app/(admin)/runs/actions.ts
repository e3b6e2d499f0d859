'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import * as z from 'zod';
import { formAction, type ActionState, type ActionWords } from '@/lib/auth/action';
import { planUpgrade } from '@/lib/upgrades/run-plan';
import { requestUndo, requestUpgrade } from '@/lib/upgrades/request';
import { cancelRun, createUpgradeRun, pauseRun, resumeRun, retryFailed } from '@/lib/upgrades/runs';
import { checkbox, withoutEmpty } from '@/app/_lib/form-input';
import type { JobActionState } from '@/components/sites/job-action-state';
import { confirmsHost } from '@/lib/domain/host';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

// The dashboard asks for the host again, and offers an older release only when asked to go back (`older`).
const upgradeForm = (t: ActionWords) =>
  z.object({ host: z.string().min(1), to: z.string().min(1, t('runs.choosePlatform')), older: checkbox, confirm: z.string().trim().max(300).optional() });
const upgradeSite = formAction(upgradeForm, async (input, { actor, t }) => {
  if (!confirmsHost(input.confirm, input.host)) return { error: t('confirmHost', { host: input.host }) };
  const r = await requestUpgrade(actor, { host: input.host, to: input.to, allowOlder: input.older });
  revalidatePath(`/sites/${r.site.host}`);
  return { ok: true, message: t('runs.upgrading', { name: r.target.name }), jobId: r.job.id } as JobActionState;
});

export async function upgradeSiteAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return upgradeSite(prev, form);
}

const undoUpgrade = formAction(z.object({ host: z.string().min(1), snapshotId: z.string().min(1) }), async (input, { actor, t }) => {
  const r = await requestUndo(actor, input);
  revalidatePath(`/sites/${r.site.host}`);
  return { ok: true, message: t('runs.undoing', { name: r.snapshot.platform.name }), jobId: r.job.id } as JobActionState;
});

export async function undoUpgradeAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return undoUpgrade(prev, form);
}

/** A list of hosts as pasted: separated by commas, spaces or lines. */
const hostList = (t: ActionWords) =>
  z
    .string()
    .max(2_000_000)
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string()).min(1, t('runs.hostList')).max(100_000));

const runForm = (t: ActionWords) => withoutEmpty(
  z
    .object({
      match: z.string().trim().min(1).max(300).optional(),
      hosts: hostList(t).optional(),
      to: z.string().trim().min(1, t('runs.choosePlatform')),
      concurrency: z.coerce.number().int().min(1).max(64).default(2),
      maxFailures: z.coerce.number().int().min(0).max(100_000).default(0),
      canaryShare: z.coerce.number().int().min(1).max(100).default(10),
      dryRun: checkbox,
    })
    .refine((v) => !!v.match !== !!v.hosts, { path: ['match'], message: t('runs.matchOrHosts') }),
);

export type RunFormState =
  | (NonNullable<ActionState> & {
      preview?: { target: string; included: { host: string; from: string }[]; leftOut: { host: string; reason: string }[] };
    })
  | undefined;

const PREVIEW_ROWS = 200;

const startRun = formAction(runForm, async (input, { actor, t }) => {
  const selection = input.hosts ? { hosts: input.hosts, to: input.to } : { match: input.match, to: input.to };
  if (input.dryRun) {
    const plan = await planUpgrade(selection);
    return {
      ok: true,
      message: t('runs.dryRun', { included: plan.included.length, target: plan.target.name, leftOut: plan.leftOut.length }),
      preview: { target: plan.target.name, included: plan.included.slice(0, PREVIEW_ROWS), leftOut: plan.leftOut.slice(0, PREVIEW_ROWS) },
    } as RunFormState;
  }
  const { run } = await createUpgradeRun(actor, selection, { concurrency: input.concurrency, maxFailures: input.maxFailures, canarySharePercent: input.canaryShare });
  revalidatePath('/runs');
  redirect(`/runs/${run.id}`);
});

export async function startRunAction(prev: RunFormState, form: FormData): Promise<RunFormState> {
  return (await startRun(prev, form));
}

const control = formAction(z.object({ id: z.string().min(1), action: z.enum(['pause', 'resume', 'cancel', 'retry']) }), async (input, { actor, t }) => {
  if (input.action === 'pause') await pauseRun(actor, input.id);
  else if (input.action === 'resume') await resumeRun(actor, input.id);
  else if (input.action === 'cancel') await cancelRun(actor, input.id);
  else await retryFailed(actor, input.id);
  revalidatePath(`/runs/${input.id}`);
  return { ok: true, message: t(`runs.control.${input.action}`) };
});

export async function controlRunAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return control(prev, form);
}
