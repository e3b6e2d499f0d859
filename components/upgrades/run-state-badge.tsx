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

const labels: Record<string, string> = { pending: 'waiting', undoing: 'rolling back', succeeded: 'upgraded' };

export function RunStateBadge({ state, run = false }: { state: string; run?: boolean }) {
  return <Badge tone={tones[state] ?? 'neutral'}>{run ? state : (labels[state] ?? state)}</Badge>;
}
