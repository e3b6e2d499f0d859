'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { useTranslations } from 'next-intl';

type Shown = { code: string; label?: string } | null;
const NewCodeContext = createContext<{ shown: Shown; show: (s: Shown) => void }>({ shown: null, show: () => {} });

/** Holds the code just created, so the page shows it at its top whichever form made it. */
export function NewCodeProvider({ children }: { children: ReactNode }) {
  const [shown, show] = useState<Shown>(null);
  return <NewCodeContext.Provider value={{ shown, show }}>{children}</NewCodeContext.Provider>;
}

export const useShowNewCode = () => useContext(NewCodeContext).show;

function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations('codes.new');
  const [copied, setCopied] = useState(false);
  return (
    <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
      {copied ? t('copied') : label}
    </Button>
  );
}

/**
 * A new activation code, shown this once at the top of the page (Mutu keeps only its hash),
 * with the full address of the self-service page to hand over with it.
 */
export function NewCode({ createUrl }: { createUrl: string }) {
  const t = useTranslations('codes.new');
  const { shown, show } = useContext(NewCodeContext);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!shown) return;
    box.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    box.current?.focus();
  }, [shown]);
  if (!shown) return null;
  return (
    <div ref={box} tabIndex={-1} role="status" className="mb-6 rounded-md bg-amber-50 p-4 text-sm ring-1 ring-inset ring-amber-600/25 focus:outline-none">
      <p className="font-medium text-amber-900">{shown.label ? t('titleFor', { label: shown.label }) : t('title')}</p>
      <dl className="mt-3 space-y-3">
        <div>
          <dt className="text-xs font-medium text-amber-900">{t('code')}</dt>
          <dd className="mt-1 flex flex-wrap items-center gap-2">
            <code data-testid="new-code" className="min-w-0 select-all break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-amber-600/25">
              {shown.code}
            </code>
            <CopyButton text={shown.code} label={t('copy')} />
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-amber-900">{t('page')}</dt>
          <dd className="mt-1 flex flex-wrap items-center gap-2">
            <code data-testid="create-url" className="min-w-0 select-all break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-amber-600/25">
              {createUrl}
            </code>
            <CopyButton text={createUrl} label={t('copy')} />
          </dd>
        </div>
      </dl>
      <div className="mt-3 flex flex-wrap gap-2">
        <CopyButton text={t('handOver', { url: createUrl, code: shown.code })} label={t('copyBoth')} />
        <Button variant="ghost" onClick={() => show(null)}>{t('dismiss')}</Button>
      </div>
      <p className="mt-3 text-xs text-amber-900">{t('keep')}</p>
    </div>
  );
}
