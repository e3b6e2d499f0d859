'use client';

import { useActionState } from 'react';
import { setPlatformAction } from '@/app/(admin)/platforms/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

export interface EditablePlatform {
  name: string;
  version: string;
  upgradeCommand: string;
  installCommand: string;
  purgeCommand: string;
  postImportCommand: string;
  healthCheck: string;
  eol: string;
  /** "" when the system's */
  php: string;
}

/** Changes a platform's version, commands, health check, end of life and PHP version; an empty field clears it. */
export function EditPlatformForm({ platform }: { platform: EditablePlatform }) {
  const t = useTranslations('platforms.form');
  const [state, dispatch, pending] = useActionState(setPlatformAction, undefined);
  const id = (field: string) => `edit-${platform.name}-${field}`;
  return (
    <form action={dispatch} aria-label={t('editLabel', { name: platform.name })} className="space-y-3">
      <input type="hidden" name="name" value={platform.name} />
      <div className="grid gap-3 sm:grid-cols-3">
        {(
          [
            ['upgradeCommand', t('upgradeCommand'), platform.upgradeCommand],
            ['installCommand', t('installCommand'), platform.installCommand],
            ['purgeCommand', t('purgeCommand'), platform.purgeCommand],
            ['postImportCommand', t('postImportCommand'), platform.postImportCommand],
          ] as const
        ).map(([name, label, value]) => (
          <Field key={name} label={label} htmlFor={id(name)} error={state?.fields?.[name]} className="sm:col-span-3">
            <Input id={id(name)} name={name} defaultValue={value} className="font-mono" spellCheck={false} autoComplete="off" />
          </Field>
        ))}
        <Field label={t('version')} htmlFor={id('version')} error={state?.fields?.version}>
          <Input id={id('version')} name="version" defaultValue={platform.version} autoComplete="off" />
        </Field>
        <Field label={t('healthCheck')} htmlFor={id('health')} error={state?.fields?.healthCheck}>
          <Input id={id('health')} name="healthCheck" defaultValue={platform.healthCheck} placeholder="/spip.php" autoComplete="off" />
        </Field>
        <Field label={t('eol')} htmlFor={id('eol')} error={state?.fields?.eol}>
          <Input id={id('eol')} name="eol" type="date" defaultValue={platform.eol} />
        </Field>
        <Field label={t('php')} htmlFor={id('php')} hint={t('phpEditHint')} error={state?.fields?.php}>
          <Input id={id('php')} name="php" defaultValue={platform.php} placeholder={t('phpPlaceholder')} autoComplete="off" />
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? t('saving') : t('save')}</Button>
    </form>
  );
}
