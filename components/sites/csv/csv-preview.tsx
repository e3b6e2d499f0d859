'use client';

import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { CSV_COLUMNS } from '@/lib/domain/site-csv';
import { HostName } from '@/components/sites/host-name';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { CsvPreviewRow } from './csv-state';

/**
 * The sites a checked file would make (a dry run: nothing is made yet), and the button that
 * makes them, which asks once more before sending the file that was checked.
 */
export function CsvPreview({ rows, csv, pending, onCreate }: { rows: CsvPreviewRow[]; csv: string; pending: boolean; onCreate: (e: FormEvent<HTMLFormElement>) => void }) {
  const t = useTranslations('newSite.csv');
  const [confirming, setConfirming] = useState(false);
  const count = rows.length;
  return (
    <div className="space-y-3">
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-600/20">
        {t('ready', { count })}
      </p>
      <Table aria-label={t('readyLabel')}>
        <THead>
          <tr>
            <TH>{t('line')}</TH>
            {/* The file's own column names: the admin compares the table with the file. */}
            {CSV_COLUMNS.map((c) => (
              <TH key={c}>{c}</TH>
            ))}
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.line} data-host={r.host}>
              <TD className="tabular-nums">{r.line}</TD>
              <TD className="whitespace-nowrap font-medium text-slate-900"><HostName host={r.host} /></TD>
              <TD>{r.platform}</TD>
              <TD>{r.server}</TD>
              <TD>{r.webmaster ?? '—'}</TD>
              <TD>{r.sharedDb ? t('yes') : t('no')}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <form onSubmit={onCreate} className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <input type="hidden" name="csv" value={csv} />
        <input type="hidden" name="count" value={count} />
        {confirming ? (
          <>
            <span>{t('confirm', { count })}</span>
            <Button type="submit" disabled={pending}>
              {pending ? t('queuing') : t('confirmYes')}
            </Button>
            <Button type="button" variant="ghost" disabled={pending} onClick={() => setConfirming(false)}>
              {t('cancel')}
            </Button>
          </>
        ) : (
          <Button type="button" onClick={() => setConfirming(true)}>
            {t('create', { count })}
          </Button>
        )}
      </form>
    </div>
  );
}
