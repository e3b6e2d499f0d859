import { getTranslations } from 'next-intl/server';
import { changeDbPasswordAction } from '@/app/(admin)/sites/actions';
import type { SiteDetail } from '@/lib/sites/detail';
import { Card } from '@/components/ui/card';
import { Detail, Details, None } from '@/components/ui/details';
import { QueueJobButton } from './queue-job-button';

/** The site page's database card: where its data lives, never its password; a new password on demand. */
export async function SiteDatabaseCard({ site }: { site: Pick<SiteDetail, 'host' | 'status' | 'database'> }) {
  const t = await getTranslations('site');
  const dbInfo = site.database;
  const provisioning = site.status === 'provisioning';
  return (
    <Card
      title={t('database')}
      action={
        dbInfo && dbInfo.server.engine !== 'sqlite' && !dbInfo.shared && (site.status === 'active' || site.status === 'disabled') ? (
          <QueueJobButton action={changeDbPasswordAction} host={site.host} label={t('newPassword')} />
        ) : undefined
      }
    >
      {dbInfo ? (
        <Details>
          <Detail label={t('server')}>
            {dbInfo.server.name}
            {dbInfo.server.engine !== 'sqlite' && dbInfo.server.host && (
              <span className="block font-mono text-xs text-slate-500">{dbInfo.server.host}{dbInfo.server.port ? `:${dbInfo.server.port}` : ''}</span>
            )}
          </Detail>
          <Detail label={t('engine')}>{dbInfo.shared ? t('shared', { engine: dbInfo.server.engine }) : dbInfo.server.engine}</Detail>
          <Detail label={t('databaseName')}><code className="font-mono text-xs">{dbInfo.name}</code></Detail>
          <Detail label={t('user')}>{dbInfo.user ? <code className="font-mono text-xs">{dbInfo.user}</code> : <None>{t('noUser')}</None>}</Detail>
          <Detail label={t('tablePrefix')}>{dbInfo.tablePrefix ? <code className="font-mono text-xs">{dbInfo.tablePrefix}</code> : <None />}</Detail>
          <Detail label={t('password')}><span className="text-slate-500">{t('passwordStored')}</span></Detail>
          <Detail label={t('madeBy')}>{dbInfo.createdByMutu ? 'Mutu' : <span className="text-slate-500">{t('notMutu')}</span>}</Detail>
        </Details>
      ) : (
        <p className="text-sm text-slate-500">{provisioning ? t('notCreated') : t('noDatabase')}</p>
      )}
    </Card>
  );
}
