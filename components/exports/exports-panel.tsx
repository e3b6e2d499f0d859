'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import type { ExportView } from '@/lib/exports/views';
import { EXPORT_FORMATS, FORMAT_LABELS, type ExportFormat } from '@/lib/exports/format';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form';
import { fetchJson } from '@/components/jobs/fetch-json';
import { ExportItem } from './export-item';

/** Download links are signed for an hour: the list is reloaded well before they lapse. */
const RELOAD_MS = 10 * 60_000;

/**
 * A site's exports: "Prepare export" (with the format and, for an application that has
 * them, its secret keys: ticked for admins, a choice for webmasters), each export's live
 * progress, then its files with size, sha256, dates and download buttons. Same panel for
 * webmasters and admins.
 */
export function ExportsPanel({ host, initial, secretFiles, secretsDefault }: { host: string; initial: ExportView[]; secretFiles: string[]; secretsDefault: boolean }) {
  const t = useTranslations('exports');
  const client = useQueryClient();
  const key = ['exports', host];
  const { data: exports, error } = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<ExportView[]>(`/api/exports?host=${encodeURIComponent(host)}`),
    initialData: initial,
    refetchInterval: RELOAD_MS,
  });
  const [format, setFormat] = useState<ExportFormat>('tar.gz');
  const [secrets, setSecrets] = useState(secretsDefault && secretFiles.length > 0);
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: ['exports', host] }), [client, host]);
  const prepare = useMutation({
    mutationFn: () =>
      fetchJson<ExportView>('/api/exports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ host, format, secrets }) }),
    onSuccess: reload,
  });
  const busy = prepare.isPending || exports.some((e) => e.status === 'preparing');

  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          prepare.mutate();
        }}
      >
        <label className="w-full max-w-80 text-sm">
          <span className="mb-1 block font-medium text-slate-700">{t('format')}</span>
          <Select name="format" aria-label={t('formatFor', { host })} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} className="w-full">
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>{FORMAT_LABELS[f]}</option>
            ))}
          </Select>
        </label>
        <Button type="submit" disabled={busy} aria-label={t('prepareFor', { host })}>
          {prepare.isPending ? t('queuing') : busy ? t('preparing') : t('prepare')}
        </Button>
        {secretFiles.length > 0 && (
          <label className="flex w-full items-start gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name="secrets"
              checked={secrets}
              onChange={(e) => setSecrets(e.target.checked)}
              aria-describedby={`secrets-help-${host}`}
              className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
            />
            <span>
              {t('includeSecrets')} (<code className="text-xs">{secretFiles.join(', ')}</code>)
            </span>
          </label>
        )}
      </form>
      <p className="mt-2 text-xs text-slate-500">
        {t('about')}
      </p>
      {secretFiles.length > 0 && (
        <p id={`secrets-help-${host}`} className="mt-1 text-xs text-slate-500">
          {t('secretsHelp')}
        </p>
      )}
      {prepare.error && <p role="alert" className="mt-2 text-sm text-red-600">{prepare.error.message}</p>}
      {error && <p role="alert" className="mt-2 text-sm text-amber-700">{t('refreshFailed', { error: error.message })}</p>}
      {exports.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">{t('none')}</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100" aria-label={t('listOf', { host })}>
          {exports.map((e) => <ExportItem key={e.id} initial={e} onSettled={reload} />)}
        </ul>
      )}
    </div>
  );
}
