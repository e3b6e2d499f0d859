import { useLocale, useTranslations } from 'next-intl';
import { formatDateTime, formatRelative } from '@/lib/domain/format';
import { Badge, type Tone } from '@/components/ui/badge';

export interface HealthValues {
  status: string;
  code: number | null;
  /** what the probe saw, already said in the reader's language (useJobWords().line of Site.healthDetail): "redirects to /ecrire/?exec=install" */
  detail?: string | null;
  latencyMs: number | null;
  checkedAt: Date | string | null;
}

/** A probe's result as a badge's colour and word (health.*); other statuses read "not checked". */
export const HEALTH_LOOK: Record<string, { tone: Tone; label: 'up' | 'needsInstall' | 'error' | 'down' }> = {
  up: { tone: 'good', label: 'up' },
  'needs-install': { tone: 'accent', label: 'needsInstall' },
  error: { tone: 'warn', label: 'error' },
  down: { tone: 'bad', label: 'down' },
};

/** What the probe measured: "200 · 85 ms", "503", or '' when it got no answer. */
export const healthNumbers = (health: Pick<HealthValues, 'code' | 'latencyMs'>): string =>
  [health.code ? String(health.code) : null, health.latencyMs !== null ? `${health.latencyMs} ms` : null].filter(Boolean).join(' · ');

/** "up 200 · 85 ms", "erring 503", "down", with what the probe saw and when in its title; "not checked" before the first probe. */
export function HealthBadge({ health, now, stacked = false }: { health: HealthValues; now?: Date; stacked?: boolean }) {
  const t = useTranslations('health');
  const locale = useLocale();
  const look = HEALTH_LOOK[health.status];
  if (!look || !health.checkedAt) return <span className="text-xs text-slate-500">{t('notChecked')}</span>;
  const checked = new Date(health.checkedAt);
  const numbers = healthNumbers(health);
  return (
    <span title={`${health.detail ? `${health.detail}; ` : ''}${t('checked', { when: formatRelative(checked, now, locale), at: formatDateTime(checked, locale) })}`} className={stacked ? 'inline-flex flex-col items-start gap-0.5 whitespace-nowrap' : 'inline-flex items-center gap-1.5 whitespace-nowrap'}>
      <Badge tone={look.tone}>{t(look.label)}</Badge>
      {numbers && <span className="text-xs tabular-nums text-slate-500">{numbers}</span>}
    </span>
  );
}
