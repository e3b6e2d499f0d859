import { useTranslations } from 'next-intl';
import { Badge, type Tone } from '@/components/ui/badge';

// Run and per-site states of a bulk upgrade, on the same colour vocabulary as jobs.
const tones: Record<string, Tone> = {
  pending: 'neutral',
  queued: 'neutral',
  running: 'info',
  undoing: 'warn',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'neutral',
  skipped: 'warn',
  paused: 'warn',
  partial: 'warn',
  planned: 'neutral',
};

/** A site's state reads as what happened to it ("upgraded", "rolling back"); a run's as the run's own. */
export function RunStateBadge({ state, run = false }: { state: string; run?: boolean }) {
  const t = useTranslations('runs.state');
  return <Badge tone={tones[state] ?? 'neutral'}>{run ? t('run', { state }) : t('site', { state })}</Badge>;
}
