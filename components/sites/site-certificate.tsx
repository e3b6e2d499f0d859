import { setHstsAction, issueCertificateAction } from '@/app/(admin)/sites/tls-actions';
import { ActionButton } from '@/components/ui/action-button';
import { Card } from '@/components/ui/card';
import { Detail, Details, None } from '@/components/ui/details';
import { DateTime } from '@/components/ui/time';
import { useTranslations } from 'next-intl';
import { certificateState, daysLeft } from '@/lib/domain/certificate-dates';
import { CertificateBadge } from './certificate-badge';
import { QueueJobButton } from './queue-job-button';
import { CertificateUpload } from './certificate-upload';

export interface SiteCertificateView {
  names: string[];
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  source: string;
  hsts: boolean;
  installedAt: Date;
  lastError: string | null;
  lastErrorAt: Date | null;
  renewalFailures: number;
}

/** The site page's HTTPS card: the certificate served, a new one from the CA, an upload, HSTS. */
export function SiteCertificate({ host, cert, acme, servable, now }: { host: string; cert: SiteCertificateView | null; acme: boolean; servable: string | null; now: Date }) {
  const t = useTranslations('site.tls');
  const state = certificateState(cert, now);
  return (
    <Card
      title="HTTPS"
      action={acme && !servable ? <QueueJobButton action={issueCertificateAction} host={host} label={cert ? t('getNew') : t('get')} /> : undefined}
    >
      <div className="space-y-5">
        {cert ? (
          <Details>
            <Detail label={t('certificate')}>
              <CertificateBadge state={state} />{' '}
              <span className="text-slate-600">{cert.source === 'acme' ? t('fromCa') : t('imported')}</span>
            </Detail>
            <Detail label={t('covers')}>{cert.names.join(', ')}</Detail>
            <Detail label={t('issuer')}>{cert.issuer}</Detail>
            <Detail label={t('validUntil')}>
              <DateTime date={cert.notAfter} /> <span className="text-xs text-slate-500">({t('daysLeft', { days: daysLeft(cert.notAfter, now) })} <DateTime date={cert.installedAt} />)</span>
            </Detail>
            <Detail label={t('serial')}><code className="font-mono text-xs">{cert.serial}</code></Detail>
            {cert.lastError && (
              <Detail label={t('lastAttempt')}>
                <span className="text-red-700">{cert.lastError}</span>
                <span className="block text-xs text-slate-500">
                  <DateTime date={cert.lastErrorAt} />
                  {cert.renewalFailures ? t('failures', { n: cert.renewalFailures }) : ''}
                  {t('stillServed')}
                </span>
              </Detail>
            )}
            <Detail label="HSTS">
              <span className="inline-flex items-center gap-3">
                {cert.hsts ? t('hstsOn') : <None>{t('off')}</None>}
                <ActionButton action={setHstsAction} fields={{ host, on: cert.hsts ? 'false' : 'true' }} label={cert.hsts ? t('turnOff') : t('turnOn')} />
              </span>
            </Detail>
          </Details>
        ) : (
          <p className="text-sm text-slate-600">
            {servable ??
              (acme
                ? t('noneAcme')
                : t('noneNoAcme'))}
          </p>
        )}
        {!servable && (
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-700">{t('importTitle')}</h3>
            <CertificateUpload host={host} />
          </div>
        )}
      </div>
    </Card>
  );
}
