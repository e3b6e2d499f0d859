import type { AuditFilter } from '@/lib/audit/query';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/form';

const SOURCES = ['ui', 'api', 'cli', 'public', 'system'] as const;

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ filter }: { filter: Partial<AuditFilter> }) {
  return (
    <form method="get" action="/audit" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
      <Field label="Action starts with" htmlFor="f-action">
        <Input id="f-action" name="action" placeholder="user." defaultValue={filter.action ?? ''} />
      </Field>
      <Field label="Actor e-mail" htmlFor="f-actor">
        <Input id="f-actor" name="actor" placeholder="someone@" defaultValue={filter.actor ?? ''} />
      </Field>
      <Field label="Site" htmlFor="f-site">
        <Input id="f-site" name="site" placeholder="example.org" defaultValue={filter.site ?? ''} />
      </Field>
      <Field label="Source" htmlFor="f-source">
        <Select id="f-source" name="source" defaultValue={filter.source ?? ''}>
          <option value="">Any source</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex gap-2">
        <Button type="submit">Filter</Button>
        <ButtonLink href="/audit" variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
