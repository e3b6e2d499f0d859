'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { setLanguageAction } from '@/app/(webmaster)/account/actions';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { LOCALE_NAMES, LOCALES } from '@/lib/domain/locale';

/** A person's own language: one of ours, or whatever their browser asks for. Saved, then the page is drawn again in it. */
export function LanguageForm({ current }: { current: string | null }) {
  const t = useTranslations('language');
  const router = useRouter();
  const { state, pending, form, onSubmit } = useFormAction(setLanguageAction, { keepOnSuccess: true, afterEach: (s) => s.ok && router.refresh() });
  const choices: { value: string; label: string; lang?: string }[] = [
    { value: '', label: t('followBrowser') },
    ...LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l], lang: l })),
  ];
  return (
    <form ref={form} onSubmit={onSubmit} aria-label={t('label')} className="max-w-sm space-y-4">
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">{t('label')}</legend>
        {choices.map((c) => (
          <label key={c.value || 'browser'} className="flex items-center gap-2 text-sm text-slate-800" lang={c.lang}>
            <input type="radio" name="locale" value={c.value} defaultChecked={(current ?? '') === c.value} className="size-4 text-indigo-600 focus:ring-indigo-600" />
            {c.label}
          </label>
        ))}
      </fieldset>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}
