'use client';

import { createUserAction } from '@/app/(admin)/users/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { OneTimePassword } from './one-time-password';

export function CreateUserForm() {
  // Cleared after a success only: on an error the admin corrects what they typed.
  const { state, pending, form, onSubmit } = useFormAction(createUserAction);

  return (
    <form
      ref={form}
      aria-label="Create a user"
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="E-mail" htmlFor="new-email" error={state?.fields?.email}>
          <Input id="new-email" name="email" type="email" required autoComplete="off" placeholder="someone@example.org" />
        </Field>
        <Field label="Name" htmlFor="new-name" hint="Optional." error={state?.fields?.name}>
          <Input id="new-name" name="name" autoComplete="off" />
        </Field>
        <Field label="Role" htmlFor="new-role" hint="Admins manage the whole farm; webmasters see their own sites." error={state?.fields?.role}>
          <Select id="new-role" name="role" defaultValue="webmaster">
            <option value="webmaster">Webmaster</option>
            <option value="admin">Admin</option>
          </Select>
        </Field>
        <Field label="Password" htmlFor="new-password" hint="Leave empty to generate a strong one, shown once." error={state?.fields?.password}>
          <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state?.password && <OneTimePassword email={state.email} password={state.password} />}
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create user'}
      </Button>
    </form>
  );
}
