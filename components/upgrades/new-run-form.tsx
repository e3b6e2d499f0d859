'use client';

import { startTransition, useActionState, useRef, useState } from 'react';
import { startRunAction } from '@/app/(admin)/runs/actions';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Select, Textarea } from '@/components/ui/form';

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
  const [state, dispatch, pending] = useActionState(startRunAction, undefined);
  const [byList, setByList] = useState(defaultHosts.length > 0);
  const hostError = state?.fields?.match ?? state?.fields?.hosts;
  const form = useRef<HTMLFormElement>(null);
  const submit = (dryRun: boolean) => {
    const data = new FormData(form.current!);
    if (dryRun) data.set('dryRun', 'on');
    startTransition(() => dispatch(data));
  };

  return (
    <form ref={form} aria-label="Start an upgrade run" onSubmit={(e) => { e.preventDefault(); submit(false); }} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {byList ? (
          <Field
            label={`Hosts${from ? ` (${from})` : ''}`}
            htmlFor="run-hosts"
            hint={<>Separated by commas or lines. <button type="button" className="font-medium text-indigo-600 hover:text-indigo-500" onClick={() => setByList(false)}>Use a pattern</button></>}
            error={hostError}
            className="lg:col-span-2"
          >
            <Textarea id="run-hosts" name="hosts" required rows={4} defaultValue={defaultHosts.join('\n')} spellCheck={false} />
          </Field>
        ) : (
          <Field
            label="Hosts"
            htmlFor="run-match"
            hint={<>A pattern: * any characters, ? one. <button type="button" className="font-medium text-indigo-600 hover:text-indigo-500" onClick={() => setByList(true)}>Give a list</button></>}
            error={hostError}
            className="lg:col-span-2"
          >
            <Input id="run-match" name="match" required defaultValue={defaultMatch} placeholder="*.example.org" autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <Field label="Upgrade to" htmlFor="run-to" error={state?.fields?.to}>
          <Select id="run-to" name="to" required defaultValue="">
            <option value="" disabled>Choose…</option>
            {platforms.map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
          </Select>
        </Field>
        <Field label="At once" htmlFor="run-concurrency" hint="Sites upgraded together." error={state?.fields?.concurrency}>
          <Input id="run-concurrency" name="concurrency" type="number" min={1} max={64} defaultValue={2} />
        </Field>
        <Field label="Failures allowed" htmlFor="run-max-failures" hint="Then the run pauses." error={state?.fields?.maxFailures}>
          <Input id="run-max-failures" name="maxFailures" type="number" min={0} defaultValue={0} />
        </Field>
        <Field label="Second wave (%)" htmlFor="run-canary-share" hint="After the canary site." error={state?.fields?.canaryShare}>
          <Input id="run-canary-share" name="canaryShare" type="number" min={1} max={100} defaultValue={10} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state?.preview && (
        <div className="grid gap-4 text-sm md:grid-cols-2" aria-label="Dry run">
          <div>
            <h3 className="mb-1 font-medium text-slate-800">Would upgrade ({state.preview.included.length}{state.preview.included.length ? `, canary ${state.preview.included[0]!.host}` : ''})</h3>
            <ul className="max-h-64 space-y-0.5 overflow-y-auto">
              {state.preview.included.map((s) => <li key={s.host}>{s.host} <span className="text-slate-500">from {s.from}</span></li>)}
            </ul>
          </div>
          <div>
            <h3 className="mb-1 font-medium text-slate-800">Left out ({state.preview.leftOut.length})</h3>
            <ul className="max-h-64 space-y-0.5 overflow-y-auto">
              {state.preview.leftOut.map((s) => <li key={s.host}>{s.host} <span className="text-slate-500">— {s.reason}</span></li>)}
            </ul>
          </div>
        </div>
      )}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" disabled={pending} onClick={() => submit(true)}>{pending ? 'Working…' : 'Preview (dry run)'}</Button>
        <Button type="submit" disabled={pending}>Start run</Button>
      </div>
    </form>
  );
}
