'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Field, Select } from '@/components/ui/form';
import { DebouncedParamInput } from './debounced-param-input';
import { useListNavigation } from './use-list-navigation';

export interface FilterValues {
  q?: string;
  status?: string;
  platform?: string;
  engine?: string;
  server?: string;
  webmaster?: string;
  tls?: string;
  upgradable: boolean;
  down: boolean;
}

const TLS_CHOICES = ['expiring', 'failed', 'none'] as const;

const ENGINES = [
  { value: 'sqlite', label: 'SQLite' },
  { value: 'mysql', label: 'MariaDB / MySQL' },
  { value: 'postgresql', label: 'PostgreSQL' },
];

// Controls start from the URL's values and are re-keyed when those change: the choice shows at
// once, and a change from elsewhere (back, a link) shows too.

/**
 * The list's search box and filters. Each change rewrites the URL (the page re-renders on
 * the server), so what is on screen is always what a shared link shows.
 */
export function SiteFilters({ values, statuses, platforms, servers, clearHref }: {
  values: FilterValues;
  /** passed in, so the browser does not load the URL schema (and zod) for a list of words */
  statuses: readonly string[];
  platforms: { name: string; label: string }[];
  servers: { name: string; engine: string }[];
  /** set when some filter is on */
  clearHref?: string;
}) {
  const t = useTranslations('sitesList.filters');
  const statusLabel = useTranslations('status');
  const { update, pending } = useListNavigation();
  const [typing, setTyping] = useState(false);
  const onTyping = useCallback((p: boolean) => setTyping(p), []);
  const busy = pending || typing;

  return (
    <div role="search" aria-label={t('label')} className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <div className="relative">
        <label htmlFor="site-search" className="sr-only">
          {t('searchLabel')}
        </label>
        <DebouncedParamInput
          id="site-search"
          param="q"
          value={values.q ?? ''}
          onPendingChange={onTyping}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('searchPlaceholder')}
          className="h-9 pr-24"
        />
        <span aria-live="polite" className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 text-xs text-slate-500">
          {busy ? t('searching') : ''}
        </span>
      </div>
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-7 lg:items-end">
        <Field label={t('status')} htmlFor="f-status">
          <Select id="f-status" key={values.status ?? ''} defaultValue={values.status ?? ''} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t('anyStatus')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel('label', { status: s })}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('platform')} htmlFor="f-platform">
          <Select id="f-platform" key={values.platform ?? ''} defaultValue={values.platform ?? ''} onChange={(e) => update({ platform: e.target.value })}>
            <option value="">{t('anyPlatform')}</option>
            {platforms.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('engine')} htmlFor="f-engine">
          <Select id="f-engine" key={values.engine ?? ''} defaultValue={values.engine ?? ''} onChange={(e) => update({ engine: e.target.value })}>
            <option value="">{t('anyEngine')}</option>
            {ENGINES.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('server')} htmlFor="f-server">
          <Select id="f-server" key={values.server ?? ''} defaultValue={values.server ?? ''} onChange={(e) => update({ server: e.target.value })}>
            <option value="">{t('anyServer')}</option>
            {servers.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({s.engine})
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('https')} htmlFor="f-tls">
          <Select id="f-tls" key={values.tls ?? ''} defaultValue={values.tls ?? ''} onChange={(e) => update({ tls: e.target.value })}>
            <option value="">{t('any')}</option>
            {TLS_CHOICES.map((c) => (
              <option key={c} value={c}>
                {t('tls', { choice: c })}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('webmaster')} htmlFor="f-webmaster">
          <DebouncedParamInput id="f-webmaster" param="webmaster" value={values.webmaster ?? ''} onPendingChange={onTyping} autoComplete="off" spellCheck={false} placeholder={t('webmasterPlaceholder')} />
        </Field>
        <div className="flex flex-col gap-1.5 text-sm text-slate-700">
          <Toggle id="f-upgradable" checked={values.upgradable} onChange={(on) => update({ upgradable: on ? '1' : null })}>
            {t('upgradable')}
          </Toggle>
          <Toggle id="f-down" checked={values.down} onChange={(on) => update({ down: on ? '1' : null })}>
            {t('down')}
          </Toggle>
        </div>
      </div>
      {clearHref && (
        <p className="text-xs">
          <Link href={clearHref} className="font-medium text-indigo-600 hover:text-indigo-500">
            {t('clear')}
          </Link>
        </p>
      )}
    </div>
  );
}

function Toggle({ id, checked, onChange, children }: { id: string; checked: boolean; onChange: (on: boolean) => void; children: React.ReactNode }) {
  return (
    <label htmlFor={id} className="flex items-center gap-2">
      <input id={id} key={String(checked)} type="checkbox" defaultChecked={checked} onChange={(e) => onChange(e.target.checked)} className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" />
      {children}
    </label>
  );
}
