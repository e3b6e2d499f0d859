'use client';

import { useState } from 'react';
import { Field, Input } from '@/components/ui/form';
import { hostForPeople } from '@/lib/domain/idn';
import { useTranslations } from 'next-intl';

/** The host typed again, as Destroy asks: a slip of the mouse cannot change a site. Sent as the `confirm` field. */
export function useTypedConfirm(host: string, id: string) {
  const t = useTranslations('site.confirm');
  const [typed, setTyped] = useState('');
  const shown = hostForPeople(host);
  // As written or as punycode: `café.example.org` or `xn--caf-dma.example.org`.
  const confirmed = [host, shown].includes(typed.trim().toLowerCase());
  const field = (
    <Field label={t('type', { host: shown })} htmlFor={id} className="max-w-md">
      <Input id={id} name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
    </Field>
  );
  return { field, confirmed, reset: () => setTyped('') };
}
