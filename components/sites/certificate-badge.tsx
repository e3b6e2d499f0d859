import { Badge, type Tone } from '@/components/ui/badge';
import { useTranslations } from 'next-intl';
import type { CertificateState } from '@/lib/domain/certificate-dates';

/** The colour of a certificate's state. */
export const CERTIFICATE_TONES: Record<CertificateState, Tone> = { none: 'neutral', ok: 'good', expiring: 'warn', expired: 'bad', failed: 'bad' };

/** How a site's certificate fares, as the site page, the sites list and the overview say it. */
export function CertificateBadge({ state, className }: { state: CertificateState; className?: string }) {
  const t = useTranslations('site.tls');
  return (
    <Badge tone={CERTIFICATE_TONES[state]} className={className}>
      {t('state', { state })}
    </Badge>
  );
}
