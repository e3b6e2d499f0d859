'use client';

import { createCodeAction } from '@/app/(admin)/codes/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';
import { useShowNewCode } from './new-code';

/** The new code goes to the top of the page (NewCode), once. */
export function CreateCodeForm({ platforms }: { platforms: string[] }) {
  const t = useTranslations('codes.form');
  const showNewCode = useShowNewCode();
  const { state, pending, form, onSubmit } = useFormAction(createCodeAction, {
    afterEach: (s) => {
      if (s.code) showNewCode({ code: s.code, label: s.label });
    },
  });

  return (
    <form
      ref={form}
      aria-label={t('label')}
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field label={t('name')} htmlFor="code-label" hint={t('nameHint')} error={state?.fields?.label} className="lg:col-span-3">
          <Input id="code-label" name="label" required autoComplete="off" maxLength={200} />
        </Field>
        <Field label={t('uses')} htmlFor="code-uses" hint={t('usesHint')} error={state?.fields?.uses}>
          <Input id="code-uses" name="uses" type="number" min={1} max={100000} defaultValue={1} required />
        </Field>
        <Field label={t('expiry')} htmlFor="code-expiry" hint={t('expiryHint')} error={state?.fields?.expiresInDays}>
          <Input id="code-expiry" name="expiresInDays" type="number" min={1} max={3650} placeholder="30" />
        </Field>
        <Field label={t('pattern')} htmlFor="code-pattern" hint={t('patternHint')} error={state?.fields?.hostPattern}>
          <Input id="code-pattern" name="hostPattern" autoComplete="off" spellCheck={false} placeholder="*.asso.example.org" />
        </Field>
        <Field label={t('platform')} htmlFor="code-platform" hint={t('platformHint')} error={state?.fields?.platform}>
          <Select id="code-platform" name="platform" defaultValue="">
            <option value="">{t('defaultPlatform')}</option>
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
        {pending ? t('creating') : t('create')}
      </Button>
    </form>
  );
}
