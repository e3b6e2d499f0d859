import { Detail, Details, None } from '@/components/ui/details';
import { MeasuredAt } from './measured-at';
import { HealthBadge, type HealthValues } from './health-badge';

const MEANING: Record<string, string> = {
  up: 'It answers (2xx after its redirects on the site, or a redirect to another address).',
  'needs-install': 'It answers with its installer, or its sign-in or an error while its database holds none of its tables: its application was never installed.',
  error: 'It answers with an error (4xx or 5xx), or its public page sends visitors to sign in.',
  down: 'No answer: refused, unreachable or too slow.',
};

/** The last health probe of one site: status, HTTP code, latency and when. */
export function SiteHealthDetails({ health, now }: { health: HealthValues; now: Date }) {
  if (!health.checkedAt) {
    return <p className="text-sm text-slate-500">Not checked yet. Active sites are probed every ten minutes, or now with “Check now”.</p>;
  }
  return (
    <>
      <Details className="lg:grid-cols-3">
        <Detail label="Status">
          <HealthBadge health={{ ...health, code: null, latencyMs: null }} now={now} />
        </Detail>
        <Detail label="HTTP code">{health.code ?? <None>none</None>}</Detail>
        <Detail label="Latency">{health.latencyMs !== null ? `${health.latencyMs} ms` : <None />}</Detail>
      </Details>
      {health.detail && <p className="mt-4 break-all text-sm text-slate-700">{health.detail}</p>}
      <p className="mt-4 text-xs text-slate-500">
        {MEANING[health.status] ?? ''} Checked <MeasuredAt date={new Date(health.checkedAt)} now={now} />.
      </p>
    </>
  );
}
