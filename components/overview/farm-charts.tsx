import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { formatBytes } from '@/lib/domain/format';
import { hostForPeople } from '@/lib/domain/idn';
import type { farmOverview } from '@/lib/overview/farm';
import type { overview } from '@/lib/overview/queries';
import { BarListChart } from '@/components/charts/bar-list-chart';
import { ColumnChart } from '@/components/charts/column-chart';
import { LineChart } from '@/components/charts/line-chart';
import { Card } from '@/components/ui/card';
import { cardLink } from './card-link';

type Overview = Awaited<ReturnType<typeof overview>>;
type Farm = Awaited<ReturnType<typeof farmOverview>>;

/** The overview's charts: sites per platform, the farm's growth, the biggest sites. */
export async function FarmCharts({ data, farm }: { data: Overview; farm: Farm }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  const bytes = (n: number | bigint | null) => formatBytes(n, locale);
  const noSites = <p className="text-sm text-slate-500">{t('noSites')}</p>;
  return (
    <div className="mt-4 grid gap-4 lg:grid-cols-2">
      <Card title={t('perPlatform')}>
        {data.siteTotal === 0 ? (
          noSites
        ) : (
          <ColumnChart
            id="chart-platforms"
            title={t('perPlatform')}
            description={farm.platforms.map((p) => `${p.name}: ${p.sites}`).join(', ')}
            columns={farm.platforms.filter((p) => p.sites > 0 || p.status === 'active').map((p) => ({ label: p.name, value: p.sites, note: [p.profile, p.version].filter(Boolean).join(' ') }))}
            valueLabel={t('sites')}
          />
        )}
      </Card>
      <Card title={t('growth')}>
        {data.siteTotal === 0 ? (
          noSites
        ) : (
          <LineChart
            id="chart-growth"
            title={t('growthTitle')}
            description={t('growthDescription', { from: farm.growth[0]?.total ?? 0, to: farm.growth[farm.growth.length - 1]?.total ?? 0 })}
            points={farm.growth.map((g) => ({ month: g.month, value: g.total, added: g.added }))}
            valueLabel={t('sites')}
          />
        )}
      </Card>
      <Card title={t('biggest')} className="lg:col-span-2" action={<Link className={cardLink} href="/sites?sort=disk">{t('allByDisk')}</Link>}>
        {farm.biggest.length === 0 ? (
          <p className="text-sm text-slate-500">{data.siteTotal === 0 ? t('noSitesShort') : t('noSizes')}</p>
        ) : (
          <BarListChart
            id="chart-disk"
            title={t('diskTitle', { n: farm.biggest.length })}
            description={farm.biggest.map((b) => `${hostForPeople(b.host)}: ${bytes(b.diskBytes)}`).join(', ')}
            rows={farm.biggest.map((b) => ({ label: hostForPeople(b.host), value: b.diskBytes, href: `/sites/${b.host}`, note: b.dbBytes === null ? undefined : bytes(b.dbBytes) }))}
            valueLabel={t('folder')}
            noteLabel={t('database')}
            format={bytes}
          />
        )}
      </Card>
    </div>
  );
}
