import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { auditDetailWords } from '@/lib/audit/details-words';
import { isLocale } from '@/lib/domain/locale';
import type { WholeTranslator } from '@/lib/i18n/job-words';
import type { JobErrorWords } from '@/lib/jobs/job-error';

/** Ids that open a page of their own: shown as links, not as raw ids. */
const LINKED: Record<string, { href: (id: string) => string; label: 'job' | 'run'; title: 'jobLabel' | 'runLabel' }> = {
  jobId: { href: (id) => `/jobs/${encodeURIComponent(id)}`, label: 'job', title: 'jobLabel' },
  runId: { href: (id) => `/runs/${encodeURIComponent(id)}`, label: 'run', title: 'runLabel' },
};

/** Other ids mean nothing to a reader: kept in the full JSON on hover only. */
const isRawId = (key: string) => /Id$/.test(key) || key === 'id' || key === 'code';

/**
 * Details as "key: value" pairs on one line in the reader's words (lib/audit/details-words.ts),
 * the job and run as links; the full JSON, as stored, on hover.
 */
export function AuditDetails({ details, errorWords }: { details: Record<string, unknown>; errorWords?: JobErrorWords | null }) {
  const t = useTranslations('audit.table');
  const all = useTranslations();
  const requested = useLocale();
  const entries = Object.entries(details);
  const links = entries.filter(([k, v]) => LINKED[k] && typeof v === 'string') as [string, string][];
  const text = auditDetailWords(Object.fromEntries(entries.filter(([k]) => !isRawId(k))), {
    t: all as unknown as WholeTranslator,
    has: (key) => all.has(key as Parameters<typeof all.has>[0]),
    locale: isLocale(requested) ? requested : 'en',
    errorWords,
  })
    .map((d) => `${d.label}: ${d.text}`)
    .join(' · ');
  if (!text && !links.length) return <span className="text-slate-500">—</span>;
  return (
    <span className="flex max-w-72 items-baseline gap-2">
      {links.map(([k, id]) => (
        <Link key={k} href={LINKED[k]!.href(id)} title={t(LINKED[k]!.title, { id })} className="shrink-0 text-xs font-medium text-indigo-700 hover:underline">
          {t(LINKED[k]!.label)}
        </Link>
      ))}
      {text && (
        <span className="truncate font-mono text-xs text-slate-600" title={JSON.stringify(details, null, 2)}>
          {text}
        </span>
      )}
    </span>
  );
}
