'use client';

import { addPlatformAction } from '@/app/(admin)/platforms/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

/** Registers a code release already installed on this machine. */
export function AddPlatformForm({ profiles }: { profiles: { name: string; label: string }[] }) {
  const t = useTranslations('platforms.form');
  const { state, pending, form, onSubmit } = useFormAction(addPlatformAction);

  return (
    <form
      ref={form}
      aria-label={t('addLabel')}
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('name')} htmlFor="platform-name" hint={t('nameHint')} error={state?.fields?.name}>
          <Input id="platform-name" name="name" required autoComplete="off" spellCheck={false} placeholder="spip-4.3" />
        </Field>
        <Field label={t('profile')} htmlFor="platform-profile" hint={t('profileHint')} error={state?.fields?.profile}>
          <Select id="platform-profile" name="profile" defaultValue={profiles[0]?.name}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('path')} htmlFor="platform-path" hint={t('pathHint')} error={state?.fields?.path}>
          <Input id="platform-path" name="path" required autoComplete="off" spellCheck={false} placeholder="/srv/mutu/platforms/spip-4.3" />
        </Field>
        <Field label={t('version')} htmlFor="platform-version" hint={t('versionHint')} error={state?.fields?.version}>
          <Input id="platform-version" name="version" autoComplete="off" spellCheck={false} />
        </Field>
        <p className="text-xs text-slate-500 sm:col-span-2">
          {t('spipDefaults')}
        </p>
        <Field
          label={t('upgradeCommand')}
          htmlFor="platform-upgrade-command"
          hint={t('upgradeHint', { placeholders: '{host} {site_dir} {platform_dir} {old_platform_dir} {url} {php} {mutu_scripts}' })}
          error={state?.fields?.upgradeCommand}
          className="sm:col-span-2"
        >
          <Input id="platform-upgrade-command" name="upgradeCommand" autoComplete="off" spellCheck={false} placeholder="php {platform_dir}/upgrade.php --host={host}" className="font-mono" />
        </Field>
        <Field label={t('installCommand')} htmlFor="platform-install-command" hint={t('installHint')} error={state?.fields?.installCommand} className="sm:col-span-2">
          <Input id="platform-install-command" name="installCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label={t('purgeCommand')} htmlFor="platform-purge-command" hint={t('purgeHint')} error={state?.fields?.purgeCommand}>
          <Input id="platform-purge-command" name="purgeCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label={t('postImportCommand')} htmlFor="platform-post-import-command" hint={t('postImportHint')} error={state?.fields?.postImportCommand}>
          <Input id="platform-post-import-command" name="postImportCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label={t('php')} htmlFor="platform-php" hint={t('phpHint')} error={state?.fields?.php}>
          <Input id="platform-php" name="php" autoComplete="off" spellCheck={false} placeholder="8.2" />
        </Field>
        <Field label={t('healthCheck')} htmlFor="platform-health-check" hint={t('healthHint')} error={state?.fields?.healthCheck}>
          <Input id="platform-health-check" name="healthCheck" autoComplete="off" spellCheck={false} placeholder="/spip.php" />
        </Field>
        <Field label={t('eol')} htmlFor="platform-eol" hint={t('optional')} error={state?.fields?.eol}>
          <Input id="platform-eol" name="eol" type="date" />
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? t('adding') : t('add')}
      </Button>
    </form>
  );
}
