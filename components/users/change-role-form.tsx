'use client';

import { useActionState } from 'react';
import { changeRoleAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Select } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

const ROLES = ['admin', 'webmaster'] as const;

/** Another role for a user; the service keeps the last admin and ends the user's sessions. */
export function ChangeRoleForm({ email, role }: { email: string; role: string }) {
  const t = useTranslations('users.role');
  const [state, dispatch, pending] = useActionState(changeRoleAction, undefined);
  const id = `role-${email}`;
  return (
    <form action={dispatch} className="space-y-3" aria-label={t('label', { email })}>
      <input type="hidden" name="email" value={email} />
      <Field label={t('role')} htmlFor={id} hint={t('hint')}>
        <Select id={id} name="role" defaultValue={role} className="max-w-48">
          {ROLES.map((value) => (
            <option key={value} value={value}>{t('name', { role: value })}</option>
          ))}
        </Select>
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t('changing') : t('change')}
      </Button>
    </form>
  );
}
