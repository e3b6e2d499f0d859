import type { AuditFilter } from '@/lib/audit/query';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/form';
import { useTranslations } from 'next-intl';

const SOURCES = ['ui', 'api', 'cli', 'public', 'system'] as const;

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ filter }: { filter: Partial<AuditFilter> }) {
  const t = useTranslations('audit.filters');
  return (
    <form method="get" action="/audit" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
      <Field label={t('action')} htmlFor="f-action">
        <Input id="f-action" name="action" placeholder="user." defaultValue={filter.action ?? ''} />
      </Field>
      <Field label={t('actor')} htmlFor="f-actor">
        <Input id="f-actor" name="actor" placeholder="someone@" defaultValue={filter.actor ?? ''} />
      </Field>
      <Field label={t('site')} htmlFor="f-site">
        <Input id="f-site" name="site" placeholder="example.org" defaultValue={filter.site ?? ''} />
      </Field>
      <Field label={t('source')} htmlFor="f-source">
        <Select id="f-source" name="source" defaultValue={filter.source ?? ''}>
          <option value="">{t('anySource')}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex gap-2">
        <Button type="submit">{t('filter')}</Button>
        <ButtonLink href="/audit" variant="ghost">
          {t('clear')}
        </ButtonLink>
      </div>
    </form>
  );
}
