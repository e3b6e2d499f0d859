'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction, type ActionState, type ActionWords } from '@/lib/auth/action';
import { formatDate } from '@/lib/domain/format';
import { setHsts } from '@/lib/tls/hsts';
import { importCertificate } from '@/lib/tls/import';
import { requestCertificate } from '@/lib/tls/request';
import type { JobActionState } from '@/components/sites/job-action-state';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

const hostField = z.string().trim().min(1).max(300);
/** A PEM file from the upload form: small text, never stored as it came (the key goes to a root-only file). */
const MAX_PEM_BYTES = 64 * 1024;
const pemFile = (t: ActionWords, what: 'certificate' | 'key' | 'chain') =>
  z
    .instanceof(File, { error: t('tls.chooseFile', { what }) })
    .refine((f) => f.size > 0, t('tls.chooseFile', { what }))
    .refine((f) => f.size <= MAX_PEM_BYTES, t('tls.tooLarge', { what }));

// One site, in the field QueueJobButton sends.
const issue = formAction(z.object({ hosts: hostField }), async ({ hosts }, { actor, t }): Promise<JobActionState> => {
  const { site, job } = await requestCertificate(actor, hosts);
  revalidatePath(`/sites/${site.host}`);
  return { ok: true, jobId: job.id, message: t('tls.asked', { host: site.host }) };
});

const upload = formAction(
  (t: ActionWords) =>
    z.object({
      host: hostField,
      cert: pemFile(t, 'certificate'),
      key: pemFile(t, 'key'),
      // A file input left empty still sends an empty file.
      chain: z.preprocess((v) => (v instanceof File && v.size === 0 ? undefined : v), pemFile(t, 'chain').optional()),
    }),
  async ({ host, cert, key, chain }, { actor, locale, t }) => {
    const r = await importCertificate(actor, host, { certPem: await cert.text(), keyPem: await key.text(), chainPem: chain ? await chain.text() : undefined });
    revalidatePath(`/sites/${r.site.host}`);
    revalidatePath('/sites');
    const { serial, issuer, names, notAfter } = r.facts;
    return { ok: true, message: t('tls.imported', { host: r.site.host, serial, issuer, names: names.join(', '), date: formatDate(notAfter, locale) }) };
  },
);

const hsts = formAction(z.object({ host: hostField, on: z.enum(['true', 'false']) }), async ({ host, on }, { actor, t }) => {
  const r = await setHsts(actor, host, on === 'true');
  revalidatePath(`/sites/${r.site.host}`);
  return { ok: true, message: t(r.on ? 'tls.hstsOn' : 'tls.hstsOff') };
});

export async function issueCertificateAction(prev: JobActionState, form: FormData): Promise<JobActionState> {
  return issue(prev, form);
}

export async function importCertificateAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return upload(prev, form);
}

export async function setHstsAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return hsts(prev, form);
}
