'use client';

import { Select } from '@/components/ui/form';
import { useTranslations } from 'next-intl';
import { useListNavigation } from './use-list-navigation';

// Kept here rather than beside the URL schema: the browser needs these three numbers, not zod.
const PER_PAGE_CHOICES = [50, 100, 200] as const;

/** How many sites a page shows; changing it goes back to the first page. */
export function PerPageSelect({ value }: { value: number }) {
  const t = useTranslations('sitesList.pager');
  const { update } = useListNavigation();
  const choices: number[] = PER_PAGE_CHOICES.includes(value as (typeof PER_PAGE_CHOICES)[number]) ? [...PER_PAGE_CHOICES] : [...PER_PAGE_CHOICES, value].sort((a, b) => a - b);
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <Select key={value} defaultValue={String(value)} onChange={(e) => update({ perPage: e.target.value === String(PER_PAGE_CHOICES[0]) ? null : e.target.value })} className="w-20" aria-label={t('perPageLabel')}>
        {choices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </Select>
      {t('perPage')}
    </label>
  );
}
