import Link from 'next/link';

const link = 'font-medium underline underline-offset-2 hover:text-amber-950';
const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

/**
 * The overview's warning about the sites' certificates: those about to expire and those whose
 * renewal failed (each still served until it expires), and, when the farm gets certificates
 * by itself, the sites without one. Nothing when all is well.
 */
export function CertificateNotice({ expiring, failed, without, acme, days }: { expiring: number; failed: number; without: number; acme: boolean; days: number }) {
  if (!expiring && !failed && !(acme && without)) return null;
  return (
    <div role="alert" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">HTTPS needs attention</p>
      <ul className="mt-1 list-inside list-disc">
        {expiring > 0 && (
          <li>
            <Link className={link} href="/sites?tls=expiring">{plural(expiring, 'certificate')}</Link> expire{expiring === 1 ? 's' : ''} within {days} days (or already expired).
          </li>
        )}
        {failed > 0 && (
          <li>
            <Link className={link} href="/sites?tls=failed">{plural(failed, 'certificate')}</Link> could not be renewed: each is still served until it expires.
          </li>
        )}
        {acme && without > 0 && (
          <li>
            <Link className={link} href="/sites?tls=none">{plural(without, 'site')}</Link> {without === 1 ? 'has' : 'have'} no certificate and {without === 1 ? 'is' : 'are'} served over plain HTTP.
          </li>
        )}
      </ul>
    </div>
  );
}
