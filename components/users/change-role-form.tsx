'use client';

import { useActionState } from 'react';
import { changeRoleAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Select } from '@/components/ui/form';
import { webmastersText } from '@/lib/texts/webmasters';

const t = webmastersText.users;

/** Another role for a user; the service keeps the last admin and ends the user's sessions. */
export function ChangeRoleForm({ email, role }: { email: string; role: string }) {
  const [state, dispatch, pending] = useActionState(changeRoleAction, undefined);
  const id = `role-${email}`;
  return (
    <form action={dispatch} className="space-y-3" aria-label={`${t.changeRole}: ${email}`}>
      <input type="hidden" name="email" value={email} />
      <Field label={t.role} htmlFor={id} hint={t.roleHint}>
        <Select id={id} name="role" defaultValue={role} className="max-w-48">
          {Object.entries(t.roleNames).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </Select>
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t.changingRole : t.changeRole}
      </Button>
    </form>
  );
}
