/** Details as "key: value" pairs on one line; the full JSON on hover. */
export function AuditDetails({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (!entries.length) return <span className="text-slate-400">—</span>;
  const text = entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
  return (
    <span className="block max-w-60 truncate font-mono text-xs text-slate-600" title={JSON.stringify(details, null, 2)}>
      {text}
    </span>
  );
}
