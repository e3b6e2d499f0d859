'use client';

import { startTransition, useActionState } from 'react';
import { importSiteAction } from '@/app/(admin)/sites/import/actions';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

interface Choice {
  name: string;
  label: string;
}

/** The admin's import form: a folder on the server holding an export; success leaves for the job page. */
export function ImportSiteForm({ platforms, servers }: { platforms: Choice[]; servers: Choice[] }) {
  const t = useTranslations('importSite');
  const [state, dispatch, pending] = useActionState(importSiteAction, undefined);
  return (
    <form
      aria-label={t('title')}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => dispatch(data));
      }}
      className="space-y-5"
    >
      <Field label={t('from')} htmlFor="import-from" hint={t('fromHint', { path: 'exports/<host>/<id>/' })} error={state?.fields?.from}>
        <Input id="import-from" name="from" required autoComplete="off" spellCheck={false} placeholder="/srv/imports/blog.example.org-20261123-1405" autoFocus aria-invalid={!!state?.fields?.from} />
      </Field>
      <Field label={t('host')} htmlFor="import-host" hint={t('hostHint')} error={state?.fields?.host}>
        <Input id="import-host" name="host" required autoComplete="off" spellCheck={false} placeholder="blog.example.org" aria-invalid={!!state?.fields?.host} />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label={t('platform')} htmlFor="import-platform" hint={t('platformHint')} error={state?.fields?.platform}>
          <Select id="import-platform" name="platform" defaultValue="">
            <option value="">{t('automatic')}</option>
            {platforms.map((p) => (
              <option key={p.name} value={p.name}>{p.label}</option>
            ))}
          </Select>
        </Field>
        <Field label={t('server')} htmlFor="import-server" hint={t('serverHint')} error={state?.fields?.server}>
          <Select id="import-server" name="server" defaultValue="">
            <option value="">{t('automatic')}</option>
            {servers.map((s) => (
              <option key={s.name} value={s.name}>{s.label}</option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label={t('webmaster')} htmlFor="import-webmaster" hint={t('webmasterHint')} error={state?.fields?.webmaster}>
        <Input id="import-webmaster" name="webmaster" type="email" autoComplete="off" placeholder="someone@example.org" />
      </Field>
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={pending}>{pending ? t('importing') : t('submit')}</Button>
        <ButtonLink href="/sites" variant="ghost">{t('cancel')}</ButtonLink>
      </div>
    </form>
  );
}
