import { Detail, Details, None } from '@/components/ui/details';
import { MeasuredAt } from './measured-at';
import { HealthBadge, type HealthValues } from './health-badge';
import { useTranslations } from 'next-intl';
import { useJobWords } from '@/components/jobs/job-words';

// ICU select keys cannot hold a hyphen.
const meaningKey = (status: string) => (status === 'needs-install' ? 'needsInstall' : status);

/** The last health probe of one site: status, HTTP code, latency and when. */
export function SiteHealthDetails({ health, now }: { health: HealthValues; now: Date }) {
  const t = useTranslations('site.healthCard');
  const words = useJobWords();
  if (!health.checkedAt) {
    return <p className="text-sm text-slate-500">{t('notChecked')}</p>;
  }
  return (
    <>
      <Details className="lg:grid-cols-3">
        <Detail label={t('status')}>
          <HealthBadge health={{ ...health, detail: health.detail && words.line(health.detail), code: null, latencyMs: null }} now={now} />
        </Detail>
        <Detail label={t('code')}>{health.code ?? <None>{t('none')}</None>}</Detail>
        <Detail label={t('latency')}>{health.latencyMs !== null ? `${health.latencyMs} ms` : <None />}</Detail>
      </Details>
      {health.detail && <p className="mt-4 break-all text-sm text-slate-700">{words.line(health.detail)}</p>}
      <p className="mt-4 text-xs text-slate-500">
        {t('meaning', { status: meaningKey(health.status) })} {t('checked')} <MeasuredAt date={new Date(health.checkedAt)} now={now} />.
      </p>
    </>
  );
}
