'use client';

import { createCodeAction } from '@/app/(admin)/codes/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useShowNewCode } from './new-code';

/** The new code goes to the top of the page (NewCode), once. */
export function CreateCodeForm({ platforms }: { platforms: string[] }) {
  const showNewCode = useShowNewCode();
  const { state, pending, form, onSubmit } = useFormAction(createCodeAction, {
    afterEach: (s) => {
      if (s.code) showNewCode({ code: s.code, label: s.label });
    },
  });

  return (
    <form
      ref={form}
      aria-label="Create an activation code"
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Label" htmlFor="code-label" hint="Who or what it is for, such as “Chess club, spring 2026”." error={state?.fields?.label} className="lg:col-span-3">
          <Input id="code-label" name="label" required autoComplete="off" maxLength={200} />
        </Field>
        <Field label="Uses" htmlFor="code-uses" hint="How many sites it can create." error={state?.fields?.uses}>
          <Input id="code-uses" name="uses" type="number" min={1} max={100000} defaultValue={1} required />
        </Field>
        <Field label="Expires in (days)" htmlFor="code-expiry" hint="Empty: it does not expire." error={state?.fields?.expiresInDays}>
          <Input id="code-expiry" name="expiresInDays" type="number" min={1} max={3650} placeholder="30" />
        </Field>
        <Field label="Host pattern" htmlFor="code-pattern" hint="Optional, such as *.asso.example.org." error={state?.fields?.hostPattern}>
          <Input id="code-pattern" name="hostPattern" autoComplete="off" spellCheck={false} placeholder="*.asso.example.org" />
        </Field>
        <Field label="Platform" htmlFor="code-platform" hint="The platform its sites run on." error={state?.fields?.platform}>
          <Select id="code-platform" name="platform" defaultValue="">
            <option value="">the default platform</option>
            {platforms.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {!state?.code && <FormMessage state={state} />}
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create code'}
      </Button>
    </form>
  );
}
