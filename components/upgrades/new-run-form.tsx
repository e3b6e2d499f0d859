'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useRef, useState, type ReactNode } from 'react';
import { startRunAction } from '@/app/(admin)/runs/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select, Textarea } from '@/components/ui/form';
import type { LeftOut } from '@/lib/upgrades/run-plan';
import { leftOutText } from './run-words';

/**
 * Starts a bulk upgrade by host pattern or by a list of hosts (the sites list's selection or
 * filter arrives as one). "Preview" is the dry run: the same plan the run would follow, with
 * the sites left out and why; nothing changes until "Start".
 */
export function NewRunForm({ platforms, defaultMatch = '', defaultHosts = [], from }: {
  platforms: { name: string; label: string }[];
  defaultMatch?: string;
  defaultHosts?: string[];
  /** where the list came from, said above it ("the selection", "the filter ...") */
  from?: string;
}) {
  const t = useTranslations('runs');
  const [state, dispatch, pending] = useActionState(startRunAction, undefined);
  const [byList, setByList] = useState(defaultHosts.length > 0);
  const hostError = state?.fields?.match ?? state?.fields?.hosts;
  const form = useRef<HTMLFormElement>(null);
  const submit = (dryRun: boolean) => {
    const data = new FormData(form.current!);
    if (dryRun) data.set('dryRun', 'on');
    startTransition(() => dispatch(data));
  };
  const switchButton = (list: boolean, chunks: ReactNode) => (
    <button type="button" className="font-medium text-indigo-600 hover:text-indigo-500" onClick={() => setByList(list)}>{chunks}</button>
  );
  const included = state?.preview?.included ?? [];

  return (
    <form ref={form} aria-label={t('form.label')} onSubmit={(e) => { e.preventDefault(); submit(false); }} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {byList ? (
          <Field
            label={from ? t('form.hostsFrom', { from }) : t('form.hosts')}
            htmlFor="run-hosts"
            hint={t.rich('form.listHint', { switch: (chunks) => switchButton(false, chunks) })}
            error={hostError}
            className="lg:col-span-2"
          >
            <Textarea id="run-hosts" name="hosts" required rows={4} defaultValue={defaultHosts.join('\n')} spellCheck={false} />
          </Field>
        ) : (
          <Field
            label={t('form.hosts')}
            htmlFor="run-match"
            hint={t.rich('form.patternHint', { switch: (chunks) => switchButton(true, chunks) })}
            error={hostError}
            className="lg:col-span-2"
          >
            <Input id="run-match" name="match" required defaultValue={defaultMatch} placeholder={t('form.patternPlaceholder')} autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <Field label={t('form.to')} htmlFor="run-to" error={state?.fields?.to}>
          <Select id="run-to" name="to" required defaultValue="">
            <option value="" disabled>{t('form.choose')}</option>
            {platforms.map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
          </Select>
        </Field>
        <Field label={t('form.concurrency')} htmlFor="run-concurrency" hint={t('form.concurrencyHint')} error={state?.fields?.concurrency}>
          <Input id="run-concurrency" name="concurrency" type="number" min={1} max={64} defaultValue={2} />
        </Field>
        <Field label={t('form.maxFailures')} htmlFor="run-max-failures" hint={t('form.maxFailuresHint')} error={state?.fields?.maxFailures}>
          <Input id="run-max-failures" name="maxFailures" type="number" min={0} defaultValue={0} />
        </Field>
        <Field label={t('form.canaryShare')} htmlFor="run-canary-share" hint={t('form.canaryShareHint')} error={state?.fields?.canaryShare}>
          <Input id="run-canary-share" name="canaryShare" type="number" min={1} max={100} defaultValue={10} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state?.preview && (
        <div className="grid gap-4 text-sm md:grid-cols-2" aria-label={t('form.dryRun')}>
          <div>
            <h3 className="mb-1 font-medium text-slate-800">
              {included.length ? t('form.wouldUpgradeCanary', { n: included.length, host: included[0]!.host }) : t('form.wouldUpgrade', { n: 0 })}
            </h3>
            <ul className="max-h-64 space-y-0.5 overflow-y-auto">
              {included.map((s) => <li key={s.host}>{s.host} <span className="text-slate-500">{t('form.from', { platform: s.from })}</span></li>)}
            </ul>
          </div>
          <div>
            <h3 className="mb-1 font-medium text-slate-800">{t('form.leftOut', { n: state.preview.leftOut.length })}</h3>
            <ul className="max-h-64 space-y-0.5 overflow-y-auto">
              {/* The plan's own entries: they carry why each site is left out, for the reader's language. */}
              {(state.preview.leftOut as LeftOut[]).map((s) => <li key={s.host}>{s.host} <span className="text-slate-500">— {leftOutText(t, s)}</span></li>)}
            </ul>
          </div>
        </div>
      )}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" disabled={pending} onClick={() => submit(true)}>{pending ? t('form.working') : t('form.preview')}</Button>
        <Button type="submit" disabled={pending}>{t('form.start')}</Button>
      </div>
    </form>
  );
}
