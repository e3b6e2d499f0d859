'use client';

import { importCertificateAction } from '@/app/(admin)/sites/tls-actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

/** Upload of a certificate brought by the admin: checked on the server before anything is written. */
export function CertificateUpload({ host }: { host: string }) {
  const t = useTranslations('site.tls');
  const { form: uploadForm, onSubmit: uploadSubmit, state: uploadState, pending: uploadPending } = useFormAction(importCertificateAction);
  return (
    <form ref={uploadForm} onSubmit={uploadSubmit} className="space-y-3" aria-label={t('importFor', { host })}>
      <input type="hidden" name="host" value={host} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label={t('certificate')} htmlFor="tls-cert" hint={t('certHint')} error={uploadState?.fields?.cert}>
          <Input id="tls-cert" name="cert" type="file" accept=".pem,.crt,.cer,text/plain" required />
        </Field>
        <Field label={t('key')} htmlFor="tls-key" hint={t('keyHint')} error={uploadState?.fields?.key}>
          <Input id="tls-key" name="key" type="file" accept=".pem,.key,text/plain" required />
        </Field>
        <Field label={t('chain')} htmlFor="tls-chain" hint={t('chainHint')} error={uploadState?.fields?.chain}>
          <Input id="tls-chain" name="chain" type="file" accept=".pem,.crt,text/plain" />
        </Field>
      </div>
      <FormMessage state={uploadState} />
      <Button type="submit" disabled={uploadPending}>{uploadPending ? t('checking') : t('import')}</Button>
    </form>
  );
}
