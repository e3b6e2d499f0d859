'use client';

import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { useActionState, type ReactNode } from 'react';
import { scanFarmAction } from '@/app/(admin)/sites/scan/actions';
import { wordsOf } from '@/lib/domain/errors';
import { formatNumber } from '@/lib/domain/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { DateTime } from '@/components/ui/time';
import { AdoptFolder, type PlatformChoice } from './adopt-folder';
import type { Capped, ScanView } from './scan-state';
import { sitePageHref } from './site-links';
import { useWholeCatalogue } from '@/components/i18n/whole-catalogue';

const code = (chunks: ReactNode) => <code className="font-mono text-xs">{chunks}</code>;

/** The scan button and, once it ran, its report with an "Adopt" button per unknown folder. */
export function ScanPanel({ platforms }: { platforms: PlatformChoice[] }) {
  const t = useTranslations('scan');
  const [state, dispatch, pending] = useActionState(scanFarmAction, undefined);
  const report = state?.report;
  return (
    <div className="space-y-6">
      <form action={dispatch} className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? t('scanning') : report ? t('again') : t('submit')}
        </Button>
        <p className="text-sm text-slate-500">
          {report
            ? t.rich('scanned', { date: () => <DateTime date={report.scannedAt} />, folders: report.folders, sites: report.sites, code })
            : t('readsOnly')}
        </p>
      </form>
      {state?.error && <FormMessage state={state} />}
      {report && <Report report={report} platforms={platforms} />}
    </div>
  );
}

function Report({ report, platforms }: { report: ScanView; platforms: PlatformChoice[] }) {
  const t = useTranslations('scan');
  // A problem found by the scan, kept as a catalogue key and its values (lib/sites/scan.ts).
  const words = useWholeCatalogue().t;
  const clean = !report.unknownFolders.total && !report.missingFolders.total && !report.missingDatabases.total && !report.unreachableServers.total;
  if (clean) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-600/20">
        {t('clean')}
      </p>
    );
  }
  return (
    <>
      <Section title={t('unknown.title')} list={report.unknownFolders} empty={t('unknown.empty')}>
        <Table>
          <THead>
            <tr>
              <TH>{t('unknown.folder')}</TH>
              <TH>{t('unknown.connection')}</TH>
              <TH className="text-right">{t('unknown.adopt')}</TH>
            </tr>
          </THead>
          <TBody>
            {report.unknownFolders.items.map((f) => (
              <TR key={f.host} data-host={f.host}>
                <TD>
                  <span className="font-medium text-slate-900">{f.host}</span>
                  <code className="block break-all font-mono text-xs text-slate-500">{f.dir}</code>
                </TD>
                <TD className="text-xs">
                  {f.connection ? (
                    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
                      <dt className="text-slate-500">{t('unknown.application')}</dt>
                      <dd>{f.connection.profile}</dd>
                      <dt className="text-slate-500">{t('unknown.database')}</dt>
                      <dd>
                        <code className="font-mono">{f.connection.database}</code> (
                        {f.connection.engine === 'sqlite'
                          ? f.connection.engine
                          : t('unknown.engineOn', { engine: f.connection.engine, server: `${f.connection.host}${f.connection.port ? `:${f.connection.port}` : ''}` })}
                        )
                      </dd>
                      {f.connection.user && (
                        <>
                          <dt className="text-slate-500">{t('unknown.user')}</dt>
                          <dd><code className="font-mono">{f.connection.user}</code></dd>
                        </>
                      )}
                      <dt className="text-slate-500">{t('unknown.prefix')}</dt>
                      <dd>{f.connection.tablePrefix ? <code className="font-mono">{f.connection.tablePrefix}</code> : '—'}</dd>
                    </dl>
                  ) : (
                    <span className="text-slate-500">{t('unknown.unreadable')}</span>
                  )}
                </TD>
                <TD className="text-right">
                  {f.problem ? (
                    <span className="inline-flex max-w-72 flex-col items-end gap-1 text-right text-xs text-amber-800">
                      <Badge tone="warn">{t('unknown.cannot')}</Badge>
                      {f.problemWords ? wordsOf(words, f.problemWords) : f.problem}
                    </span>
                  ) : (
                    <AdoptFolder host={f.host} profile={f.connection?.profile ?? 'generic'} platforms={platforms} />
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Section>

      <Section title={t('missingFolders.title')} list={report.missingFolders} empty={t('missingFolders.empty')}>
        <SimpleList
          items={report.missingFolders.items.map((m) => ({ key: m.host, host: m.host, detail: <code className="break-all font-mono text-xs">{m.dir}</code> }))}
        />
      </Section>

      <Section title={t('missingDatabases.title')} list={report.missingDatabases} empty={t('missingDatabases.empty')}>
        <SimpleList
          items={report.missingDatabases.items.map((m) => ({
            key: m.host,
            host: m.host,
            detail: t.rich('missingDatabases.on', { database: m.database, server: m.server, code }),
          }))}
        />
      </Section>

      <Section title={t('unreachable.title')} list={report.unreachableServers} empty={t('unreachable.empty')}>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm shadow-xs">
          {report.unreachableServers.items.map((s) => (
            <li key={s.server} className="px-4 py-2">
              <Link href="/servers" className="font-medium text-indigo-700 hover:underline">
                {s.server}
              </Link>
              <span className="block text-xs text-red-700">{s.error}</span>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-xs text-slate-500">{t('unreachable.notChecked')}</p>
      </Section>
    </>
  );
}

function Section<T>({ title, list, empty, children }: { title: string; list: Capped<T>; empty: string; children: ReactNode }) {
  const t = useTranslations('scan');
  const locale = useLocale();
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {title}
          <Badge tone={list.total ? 'warn' : 'good'}>{formatNumber(list.total, locale)}</Badge>
        </span>
      }
    >
      {list.total === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <>
          {children}
          {list.total > list.items.length && (
            <p className="mt-2 text-xs text-slate-500">{t.rich('showing', { shown: list.items.length, total: list.total, code: (chunks) => <code className="font-mono">{chunks}</code> })}</p>
          )}
        </>
      )}
    </Card>
  );
}

function SimpleList({ items }: { items: { key: string; host: string; detail: ReactNode }[] }) {
  return (
    <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200 bg-white text-sm shadow-xs">
      {items.map((i) => (
        <li key={i.key} className="flex flex-wrap items-baseline justify-between gap-x-4 px-4 py-1.5">
          <Link href={sitePageHref(i.host)} className="font-medium text-indigo-700 hover:underline">
            {i.host}
          </Link>
          <span className="min-w-0 text-slate-600">{i.detail}</span>
        </li>
      ))}
    </ul>
  );
}
