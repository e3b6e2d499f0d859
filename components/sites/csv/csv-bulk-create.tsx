'use client';

import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { checkSitesCsvAction, createSitesCsvAction } from '@/app/(admin)/sites/csv-actions';
import { formatBytes } from '@/lib/domain/format';
import { isLocale } from '@/lib/domain/locale';
import { CSV_UPLOAD_MAX_BYTES } from '@/lib/domain/site-csv';
import { Button } from '@/components/ui/button';
import { Field, FormMessage, Input, Textarea } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { CsvPreview } from './csv-preview';
import { CsvProblems } from './csv-problems';
import { CsvProgress } from './csv-progress';
import type { CsvState } from './csv-state';

type Phase = 'edit' | 'checked' | 'created';

/**
 * Many sites from one CSV file: the file (chosen, or its lines pasted) is checked whole on the
 * server first, showing every problem or the sites it would make; then, confirmed, the very
 * text that was checked is checked again and its sites queued, and followed live.
 */
export function CsvBulkCreate() {
  const t = useTranslations('newSite.csv');
  const requested = useLocale();
  const locale = isLocale(requested) ? requested : 'en';
  const [text, setText] = useState('');
  const [checkedText, setCheckedText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('edit');
  const { state: checked, pending: checking, form: checkForm, onSubmit: onCheck } = useFormAction(checkSitesCsvAction, { keepOnSuccess: true, afterEach: () => setPhase('checked') });
  const { state: created, pending: creating, onSubmit: onCreate } = useFormAction(createSitesCsvAction, { keepOnSuccess: true, afterEach: () => setPhase('created') });

  const edit = (next: string) => {
    setText(next);
    setPhase('edit');
  };
  // Refused here already, in the server's words, before a useless upload (and before Next's own
  // cap on an action's body, which would fail the page instead of answering).
  const tooLarge = (bytes: number) => {
    if (bytes <= CSV_UPLOAD_MAX_BYTES) return false;
    setFileError(t('tooLarge', { size: formatBytes(bytes, locale), max: formatBytes(CSV_UPLOAD_MAX_BYTES, locale) }));
    return true;
  };
  const chooseFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (tooLarge(file.size)) {
      edit('');
      return;
    }
    try {
      edit(await file.text());
    } catch (err) {
      setFileError(t('unreadable', { error: (err as Error).message }));
    }
  };
  const submitCheck = (e: FormEvent<HTMLFormElement>) => {
    setFileError(null);
    if (tooLarge(new TextEncoder().encode(text).length)) {
      e.preventDefault();
      return;
    }
    setCheckedText(text);
    onCheck(e);
  };

  if (phase === 'created' && created?.queued) {
    return (
      <div className="space-y-4">
        <CsvProgress queued={created.queued} refused={created.refused ?? []} />
        <Button variant="secondary" onClick={() => edit('')}>
          {t('again')}
        </Button>
      </div>
    );
  }
  const shown: CsvState = phase === 'checked' ? checked : phase === 'created' ? created : undefined;

  return (
    <div className="space-y-4">
      <form ref={checkForm} onSubmit={submitCheck} aria-label={t('title')} className="space-y-4">
        <Field label={t('file')} htmlFor="csv-file" hint={t('fileHint')} error={fileError ?? undefined}>
          <Input id="csv-file" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void chooseFile(e)} className="h-auto file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-sm" />
        </Field>
        <Field label={t('text')} htmlFor="csv-text">
          <Textarea id="csv-text" name="csv" rows={8} value={text} onChange={(e) => edit(e.target.value)} spellCheck={false} placeholder="host,platform,server,webmaster,shared-db" />
        </Field>
        <Button type="submit" variant="secondary" disabled={checking || !text.trim()}>
          {checking ? t('checking') : t('check')}
        </Button>
      </form>
      {shown?.error && <FormMessage state={{ error: shown.error }} />}
      {shown?.problems && <CsvProblems problems={shown.problems} />}
      {phase === 'checked' && shown?.rows && <CsvPreview rows={shown.rows} csv={checkedText} pending={creating} onCreate={onCreate} />}
    </div>
  );
}
