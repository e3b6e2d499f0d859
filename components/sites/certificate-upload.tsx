'use client';

import { importCertificateAction } from '@/app/(admin)/sites/tls-actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

/** Upload of a certificate brought by the admin: checked on the server before anything is written. */
export function CertificateUpload({ host }: { host: string }) {
  const t = useTranslations('site.tls');
  const upload = useFormAction(importCertificateAction);
  return (
    <form ref={upload.form} onSubmit={upload.onSubmit} className="space-y-3" aria-label={t('importFor', { host })}>
      <input type="hidden" name="host" value={host} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label={t('certificate')} htmlFor="tls-cert" hint={t('certHint')} error={upload.state?.fields?.cert}>
          <Input id="tls-cert" name="cert" type="file" accept=".pem,.crt,.cer,text/plain" required />
        </Field>
        <Field label={t('key')} htmlFor="tls-key" hint={t('keyHint')} error={upload.state?.fields?.key}>
          <Input id="tls-key" name="key" type="file" accept=".pem,.key,text/plain" required />
        </Field>
        <Field label={t('chain')} htmlFor="tls-chain" hint={t('chainHint')} error={upload.state?.fields?.chain}>
          <Input id="tls-chain" name="chain" type="file" accept=".pem,.crt,text/plain" />
        </Field>
      </div>
      <FormMessage state={upload.state} />
      <Button type="submit" disabled={upload.pending}>{upload.pending ? t('checking') : t('import')}</Button>
    </form>
  );
}
