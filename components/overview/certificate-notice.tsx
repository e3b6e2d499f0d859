import Link from 'next/link';
import { useTranslations } from 'next-intl';

const link = 'font-medium underline underline-offset-2 hover:text-amber-950';

/**
 * The overview's warning about the sites' certificates: those about to expire and those whose
 * renewal failed (each still served until it expires), and, when the farm gets certificates
 * by itself, the sites without one. Nothing when all is well.
 */
export function CertificateNotice({ expiring, failed, without, acme, days }: { expiring: number; failed: number; without: number; acme: boolean; days: number }) {
  const t = useTranslations('overview.tls');
  if (!expiring && !failed && !(acme && without)) return null;
  const to = (href: string) =>
    function LinkTo(chunks: React.ReactNode) {
      return <Link className={link} href={href}>{chunks}</Link>;
    };
  return (
    <div role="alert" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">{t('title')}</p>
      <ul className="mt-1 list-inside list-disc">
        {expiring > 0 && <li>{t.rich('expiring', { n: expiring, days, link: to('/sites?tls=expiring') })}</li>}
        {failed > 0 && <li>{t.rich('failed', { n: failed, link: to('/sites?tls=failed') })}</li>}
        {acme && without > 0 && <li>{t.rich('without', { n: without, link: to('/sites?tls=none') })}</li>}
      </ul>
    </div>
  );
}
