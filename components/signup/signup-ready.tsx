import type { ReadySite } from '@/app/_lib/signup-progress';
import { ButtonLink, buttonClass } from '@/components/ui/button';
import { hostForPeople } from '@/lib/domain/idn';
import { useTranslations } from 'next-intl';

/** The end of a self-service creation: the site's ways in, and what to do next. */
export function SignupReady({ host, email, site }: { host: string; email: string; site?: ReadySite }) {
  const t = useTranslations('create.ready');
  return (
    <div className="space-y-4" role="status">
      <div className="grid size-10 place-items-center rounded-full bg-emerald-100 text-lg text-emerald-700" aria-hidden>
        ✓
      </div>
      <h2 className="text-base font-semibold break-words text-slate-900">{t('title', { host: hostForPeople(host) })}</h2>
      {site && (
        <>
          <dl className="space-y-2 text-sm">
            <div>
              <dt className="text-xs font-medium text-slate-600">{t('site')}</dt>
              <dd><a href={site.url} target="_blank" rel="noreferrer" className="break-all text-indigo-700 hover:underline">{site.url}</a></dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-600">{t('admin', { application: site.application })}</dt>
              <dd><a href={site.adminUrl} target="_blank" rel="noreferrer" className="break-all text-indigo-700 hover:underline">{site.adminUrl}</a></dd>
            </div>
          </dl>
          <div>
            <h3 className="text-sm font-semibold text-slate-900">{t('next')}</h3>
            <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm text-slate-700">
              <li>{site.installed ? t('installed', { email }) : t('installer', { application: site.application })}</li>
              <li>{t('mutu')}</li>
            </ol>
          </div>
          <p className="text-xs text-slate-600">{t('mail', { email })}</p>
          <a href={site.installed ? site.adminUrl : site.url} target="_blank" rel="noreferrer" className={buttonClass('secondary', 'w-full')}>
            {site.installed ? t('openAdmin') : t('openSite')} ↗
          </a>
        </>
      )}
      <ButtonLink href="/login" variant="primary" className="w-full">
        {t('signIn')}
      </ButtonLink>
    </div>
  );
}
