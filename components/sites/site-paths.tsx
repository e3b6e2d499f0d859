import path from 'node:path';
import { getTranslations } from 'next-intl/server';
import { config } from '@/lib/config';
import type { Profile } from '@/lib/domain/profiles';
import { siteDir } from '@/lib/farm/paths';
import type { SiteDetail } from '@/lib/sites/detail';
import { Card } from '@/components/ui/card';

function PathRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 sm:pt-0.5">{label}</dt>
      <dd><code className="break-all font-mono text-xs text-slate-700">{value}</code></dd>
    </>
  );
}

/** Where the site is on disk: its folder, its connection file and, on SQLite, its database file. */
export async function SitePaths({ host, profile, database: dbInfo }: { host: string; profile: Profile; database: SiteDetail['database'] }) {
  const t = await getTranslations('site');
  const folder = siteDir(config().farmRoot, host);
  return (
    <Card title={t('paths')}>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        <PathRow label={t('folder')} value={folder} />
        <PathRow label={t('connectionFile')} value={path.join(folder, profile.configFile)} />
        {dbInfo?.server.engine === 'sqlite' && <PathRow label={t('databaseFile')} value={path.join(folder, profile.sqliteFolder, `${dbInfo.name}.sqlite`)} />}
      </dl>
    </Card>
  );
}
