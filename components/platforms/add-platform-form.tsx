'use client';

import { addPlatformAction } from '@/app/(admin)/platforms/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';

/** Registers a code release already installed on this machine. */
export function AddPlatformForm({ profiles }: { profiles: { name: string; label: string }[] }) {
  const { state, pending, form, onSubmit } = useFormAction(addPlatformAction);

  return (
    <form
      ref={form}
      aria-label="Add a platform"
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="platform-name" hint="A short name, such as spip-4.3." error={state?.fields?.name}>
          <Input id="platform-name" name="name" required autoComplete="off" spellCheck={false} placeholder="spip-4.3" />
        </Field>
        <Field label="Profile" htmlFor="platform-profile" hint="The kind of application: decides the folders and the connection file." error={state?.fields?.profile}>
          <Select id="platform-profile" name="profile" defaultValue={profiles[0]?.name}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Path" htmlFor="platform-path" hint="The folder where the release is installed; it must exist." error={state?.fields?.path}>
          <Input id="platform-path" name="path" required autoComplete="off" spellCheck={false} placeholder="/srv/mutu/platforms/spip-4.3" />
        </Field>
        <Field label="Version" htmlFor="platform-version" hint="Optional, such as 4.3.5." error={state?.fields?.version}>
          <Input id="platform-version" name="version" autoComplete="off" spellCheck={false} />
        </Field>
        <Field
          label="Upgrade command"
          htmlFor="platform-upgrade-command"
          hint={<>Optional. Run without a shell in the site folder; placeholders {'{host}'} {'{site_dir}'} {'{platform_dir}'} {'{old_platform_dir}'}; database settings come in DB_* variables.</>}
          error={state?.fields?.upgradeCommand}
          className="sm:col-span-2"
        >
          <Input id="platform-upgrade-command" name="upgradeCommand" autoComplete="off" spellCheck={false} placeholder="php {platform_dir}/upgrade.php --host={host}" className="font-mono" />
        </Field>
        <Field label="Health check" htmlFor="platform-health-check" hint="Optional path probed after an upgrade, such as /spip.php." error={state?.fields?.healthCheck}>
          <Input id="platform-health-check" name="healthCheck" autoComplete="off" spellCheck={false} placeholder="/spip.php" />
        </Field>
        <Field label="End of life" htmlFor="platform-eol" hint="Optional." error={state?.fields?.eol}>
          <Input id="platform-eol" name="eol" type="date" />
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add platform'}
      </Button>
    </form>
  );
}
