import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { formatDate } from '@/lib/domain/format';
import type { farmOverview } from '@/lib/overview/farm';
import type { overview } from '@/lib/overview/queries';
import { Card } from '@/components/ui/card';
import { cardLink } from './card-link';
import { HealthSummary } from './health-summary';
import { PlatformsTable } from './platforms-table';

type Overview = Awaited<ReturnType<typeof overview>>;
type Farm = Awaited<ReturnType<typeof farmOverview>>;

/** The overview's second row: the farm's health, and its platforms with their end-of-life warnings. */
export async function HealthAndPlatforms({ data, farm, now }: { data: Overview; farm: Farm; now: Date }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  // Past first: those need the upgrade now.
  const eolWarnings = farm.platforms.filter((p) => p.sites > 0 && p.eol === 'past').concat(farm.platforms.filter((p) => p.sites > 0 && p.eol === 'soon'));
  return (
    <div className="mt-4 grid gap-4 lg:grid-cols-3">
      <Card title={t('health')} action={<Link className={cardLink} href="/sites?down=1">{t('needLook')}</Link>}>
        {data.siteTotal === 0 ? <p className="text-sm text-slate-500">{t('noSites')}</p> : <HealthSummary farm={farm} now={now} />}
      </Card>
      <Card
        title={t('platforms')}
        action={<Link className={cardLink} href="/platforms">{t('managePlatforms')}</Link>}
        className="lg:col-span-2"
      >
        {eolWarnings.length > 0 && (
          <p role="alert" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-600/25">
            {eolWarnings
              .map((p) => t('eol', { name: p.name, sites: p.sites, past: p.eol === 'past' ? 'yes' : 'no', date: formatDate(p.eolDate!, locale) }))
              .join(locale === 'fr' ? '\u00a0; ' : '; ')}
            {locale === 'fr' ? '\u00a0: ' : ': '}
            {t('eolPlan')}
          </p>
        )}
        {farm.platforms.length === 0 ? (
          <p className="text-sm text-slate-500">
            {t('noPlatforms')} <Link className={cardLink} href="/platforms">{t('registerRelease')}</Link> {t('toRunSites')}
          </p>
        ) : (
          <>
            <PlatformsTable platforms={farm.platforms} />
            <p className="mt-3 text-xs text-slate-500">
              {t('upgradeNote')}
            </p>
          </>
        )}
      </Card>
    </div>
  );
}
