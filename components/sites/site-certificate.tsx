import { setHstsAction, issueCertificateAction } from '@/app/(admin)/sites/tls-actions';
import { ActionButton } from '@/components/ui/action-button';
import { Card } from '@/components/ui/card';
import { Detail, Details, None } from '@/components/ui/details';
import { DateTime } from '@/components/ui/time';
import { certificateState, daysLeft } from '@/lib/domain/certificates';
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
  const state = certificateState(cert, now);
  return (
    <Card
      title="HTTPS"
      action={acme && !servable ? <QueueJobButton action={issueCertificateAction} host={host} label={cert ? 'Get a new certificate' : 'Get a certificate'} /> : undefined}
    >
      <div className="space-y-5">
        {cert ? (
          <Details>
            <Detail label="Certificate">
              <CertificateBadge state={state} />{' '}
              <span className="text-slate-600">{cert.source === 'acme' ? 'from the farm’s CA, renewed by Mutu' : 'imported: renew it yourself'}</span>
            </Detail>
            <Detail label="Covers">{cert.names.join(', ')}</Detail>
            <Detail label="Issuer">{cert.issuer}</Detail>
            <Detail label="Valid until">
              <DateTime date={cert.notAfter} /> <span className="text-xs text-slate-500">({daysLeft(cert.notAfter, now)} days left; installed <DateTime date={cert.installedAt} />)</span>
            </Detail>
            <Detail label="Serial"><code className="font-mono text-xs">{cert.serial}</code></Detail>
            {cert.lastError && (
              <Detail label="Last attempt">
                <span className="text-red-700">{cert.lastError}</span>
                <span className="block text-xs text-slate-500">
                  <DateTime date={cert.lastErrorAt} />
                  {cert.renewalFailures ? `; ${cert.renewalFailures} renewal${cert.renewalFailures > 1 ? 's' : ''} failed in a row` : ''}. The certificate above is still served.
                </span>
              </Detail>
            )}
            <Detail label="HSTS">
              <span className="inline-flex items-center gap-3">
                {cert.hsts ? 'on: browsers come back over HTTPS only, for a year' : <None>off</None>}
                <ActionButton action={setHstsAction} fields={{ host, on: cert.hsts ? 'false' : 'true' }} label={cert.hsts ? 'Turn off' : 'Turn on'} />
              </span>
            </Detail>
          </Details>
        ) : (
          <p className="text-sm text-slate-600">
            {servable ??
              (acme
                ? 'No certificate yet: the site is served over plain HTTP. Get one from the farm’s CA, or import one.'
                : 'No certificate: the site is served over plain HTTP. No ACME directory is configured (MUTU_ACME_DIRECTORY): import a certificate.')}
          </p>
        )}
        {!servable && (
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-700">Import a certificate</h3>
            <CertificateUpload host={host} />
          </div>
        )}
      </div>
    </Card>
  );
}
