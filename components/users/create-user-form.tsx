'use client';

import { createUserAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { OneTimePassword } from './one-time-password';
import { useTranslations } from 'next-intl';

export function CreateUserForm() {
  const t = useTranslations('users.create');
  const roles = useTranslations('users.role');
  // Cleared after a success only: on an error the admin corrects what they typed.
  const { state, pending, form, onSubmit } = useFormAction(createUserAction);

  return (
    <form
      ref={form}
      aria-label={t('label')}
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('email')} htmlFor="new-email" error={state?.fields?.email}>
          <Input id="new-email" name="email" type="email" required autoComplete="off" placeholder="someone@example.org" />
        </Field>
        <Field label={t('name')} htmlFor="new-name" hint={t('nameHint')} error={state?.fields?.name}>
          <Input id="new-name" name="name" autoComplete="off" />
        </Field>
        <Field label={t('role')} htmlFor="new-role" hint={t('roleHint')} error={state?.fields?.role}>
          <Select id="new-role" name="role" defaultValue="webmaster">
            <option value="webmaster">{roles('name', { role: 'webmaster' })}</option>
            <option value="admin">{roles('name', { role: 'admin' })}</option>
          </Select>
        </Field>
        <Field label={t('password')} htmlFor="new-password" hint={t('passwordHint')} error={state?.fields?.password}>
          <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state?.password && <OneTimePassword email={state.email} password={state.password} />}
      <Button type="submit" disabled={pending}>
        {pending ? t('creating') : t('submit')}
      </Button>
    </form>
  );
}
