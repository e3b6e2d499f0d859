'use client';

import { useRef, useState } from 'react';
import { addServerAction } from '@/app/(admin)/servers/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

const EXAMPLE_URL = { mysql: 'mysql://root@127.0.0.1:3306', postgresql: 'postgresql://postgres@127.0.0.1:5432/postgres' } as const;

/** Registers a MariaDB/MySQL or PostgreSQL server; Mutu logs in to it before saving anything. */
export function AddServerForm() {
  const t = useTranslations('servers.add');
  const [engine, setEngine] = useState<'mysql' | 'postgresql'>('mysql');
  const password = useRef<HTMLInputElement>(null);
  // The password never comes back from the server; the field is emptied after every try too.
  const { state, pending, form, onSubmit } = useFormAction(addServerAction, {
    afterEach: () => {
      if (password.current) password.current.value = '';
    },
  });

  return (
    <form
      ref={form}
      aria-label={t('label')}
      onSubmit={onSubmit}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('name')} htmlFor="server-name" hint={t('nameHint')} error={state?.fields?.name}>
          <Input id="server-name" name="name" required autoComplete="off" spellCheck={false} placeholder="maria1" />
        </Field>
        <Field label={t('engine')} htmlFor="server-engine" error={state?.fields?.engine}>
          <Select id="server-engine" name="engine" value={engine} onChange={(e) => setEngine(e.target.value as 'mysql' | 'postgresql')}>
            <option value="mysql">MariaDB / MySQL</option>
            <option value="postgresql">PostgreSQL</option>
          </Select>
        </Field>
        <Field label={t('url')} htmlFor="server-url" hint={t('urlHint')} error={state?.fields?.url} className="sm:col-span-2">
          <Input id="server-url" name="url" required autoComplete="off" spellCheck={false} placeholder={EXAMPLE_URL[engine]} />
        </Field>
        <Field label={t('password')} htmlFor="server-password" hint={t('passwordHint')} error={state?.fields?.password}>
          <Input ref={password} id="server-password" name="password" type="password" autoComplete="new-password" />
        </Field>
        <Field
          label={t('hostMask')}
          htmlFor="server-host-mask"
          hint={engine === 'mysql' ? t('hostMaskHint') : t('mysqlOnly')}
          error={state?.fields?.hostMask}
        >
          <Input id="server-host-mask" name="hostMask" autoComplete="off" spellCheck={false} placeholder="10.0.0.%" disabled={engine !== 'mysql'} />
        </Field>
        <Field label={t('shared')} htmlFor="server-shared" hint={t('sharedHint')} error={state?.fields?.sharedDatabase}>
          <Input id="server-shared" name="sharedDatabase" autoComplete="off" spellCheck={false} placeholder="mu_shared" />
        </Field>
        <div className="flex items-center gap-2 self-end pb-1.5">
          <input id="server-default" name="makeDefault" type="checkbox" className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" />
          <label htmlFor="server-default" className="text-sm font-medium text-slate-700">{t('makeDefault')}</label>
        </div>
      </div>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? t('checking') : t('submit')}
      </Button>
    </form>
  );
}
