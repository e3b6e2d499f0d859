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
        <p className="text-xs text-slate-500 sm:col-span-2">
          A SPIP release gets SPIP&apos;s install, upgrade, cache purge and post-import commands and the /spip.php health check unless you give
          your own below (&quot;none&quot; for no command).
        </p>
        <Field
          label="Upgrade command"
          htmlFor="platform-upgrade-command"
          hint={<>Optional. Run without a shell in the site folder, as the site&apos;s own user once the front serves it; placeholders {'{host}'} {'{site_dir}'} {'{platform_dir}'} {'{old_platform_dir}'} {'{url}'} {'{php}'} {'{mutu_scripts}'}; database settings come in DB_* variables.</>}
          error={state?.fields?.upgradeCommand}
          className="sm:col-span-2"
        >
          <Input id="platform-upgrade-command" name="upgradeCommand" autoComplete="off" spellCheck={false} placeholder="php {platform_dir}/upgrade.php --host={host}" className="font-mono" />
        </Field>
        <Field label="Install command" htmlFor="platform-install-command" hint="Optional: makes a new site's tables and its webmaster the application's first administrator." error={state?.fields?.installCommand} className="sm:col-span-2">
          <Input id="platform-install-command" name="installCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label="Cache purge command" htmlFor="platform-purge-command" hint="Optional: empties the application's caches after a switch, a restore or an undo." error={state?.fields?.purgeCommand}>
          <Input id="platform-purge-command" name="purgeCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label="Post-import command" htmlFor="platform-post-import-command" hint="Optional: run for a site imported under a new host ({url})." error={state?.fields?.postImportCommand}>
          <Input id="platform-post-import-command" name="postImportCommand" autoComplete="off" spellCheck={false} className="font-mono" />
        </Field>
        <Field label="PHP version" htmlFor="platform-php" hint="Optional, such as 8.2: the PHP-FPM its sites run (default: the newest installed)." error={state?.fields?.php}>
          <Input id="platform-php" name="php" autoComplete="off" spellCheck={false} placeholder="8.2" />
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
