import { Badge, type Tone } from '@/components/ui/badge';
import type { CertificateState } from '@/lib/domain/certificates';

const TONES: Record<CertificateState, Tone> = { none: 'neutral', ok: 'good', expiring: 'warn', expired: 'bad', failed: 'bad' };
const LABELS: Record<CertificateState, string> = { none: 'no certificate', ok: 'valid', expiring: 'expires soon', expired: 'expired', failed: 'renewal failed' };

/** How a site's certificate fares, as the site page, the sites list and the overview say it. */
export function CertificateBadge({ state, className }: { state: CertificateState; className?: string }) {
  return (
    <Badge tone={TONES[state]} className={className}>
      {LABELS[state]}
    </Badge>
  );
}
