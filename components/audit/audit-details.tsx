import Link from 'next/link';
import { useTranslations } from 'next-intl';

/** Ids that open a page of their own: shown as links, not as raw ids. */
const LINKED: Record<string, { href: (id: string) => string; label: 'job' | 'run'; title: 'jobLabel' | 'runLabel' }> = {
  jobId: { href: (id) => `/jobs/${encodeURIComponent(id)}`, label: 'job', title: 'jobLabel' },
  runId: { href: (id) => `/runs/${encodeURIComponent(id)}`, label: 'run', title: 'runLabel' },
};

/** Other ids mean nothing to a reader: kept in the full JSON on hover only. */
const isRawId = (key: string) => /Id$/.test(key) || key === 'id' || key === 'code';

/** Details as "key: value" pairs on one line, the job and run as links; the full JSON on hover. */
export function AuditDetails({ details }: { details: Record<string, unknown> }) {
  const t = useTranslations('audit.table');
  const entries = Object.entries(details);
  const links = entries.filter(([k, v]) => LINKED[k] && typeof v === 'string') as [string, string][];
  const text = entries
    .filter(([k, v]) => !isRawId(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
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
