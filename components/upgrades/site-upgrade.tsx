import type { ProfileName, SiteStatus } from '@prisma/client';
import { siteUpgradeChoices } from '@/lib/upgrades/request';
import { formatBytes } from '@/lib/domain/format';
import { undoUpgradeAction } from '@/app/(admin)/runs/actions';
import { splitUpgradeTargets } from '@/lib/domain/releases';
import { SiteUpgradeForm } from './site-upgrade-form';
import { Card } from '@/components/ui/card';
import { DateTime } from '@/components/ui/time';
import { JobFormButton } from './job-form-button';
import { getLocale, getTranslations } from 'next-intl/server';

const SHOWN_SNAPSHOTS = 5;

/**
 * The site page's Upgrade section: move the site to another platform of its profile
 * (snapshot first, rolled back on failure), or put it back as one of its snapshots has it.
 */
export async function SiteUpgrade({ siteId, host, platformId, profile, status }: { siteId: string; host: string; platformId: string; profile: ProfileName; status: SiteStatus }) {
  const [t, c, statusLabel, locale, { current, targets, snapshots }] = await Promise.all([
    getTranslations('site.upgrade'),
    getTranslations('site.confirm'),
    getTranslations('status'),
    getLocale(),
    siteUpgradeChoices({ id: siteId, platformId, profile }, SHOWN_SNAPSHOTS),
  ]);
  const usable = status === 'active' || status === 'disabled';
  return (
    <Card title={t('title')}>
      {!usable ? (
        <p className="text-sm text-slate-600">{t('notUsable', { status: statusLabel('label', { status }) })}</p>
      ) : targets.length === 0 ? (
        <p className="text-sm text-slate-600">{t('noTarget', { profile })}</p>
      ) : (
        <SiteUpgradeForm host={host} current={current} {...splitUpgradeTargets(targets, current)} />
      )}
      {snapshots.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">{t('snapshots')}</h3>
          <ul className="divide-y divide-slate-100 text-sm">
            {snapshots.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <DateTime date={s.createdAt} /> {t('snapshotOn')} <strong className="font-medium">{s.platform.name}</strong>
                  <span className="text-xs text-slate-500"> · {formatBytes(s.sizeBytes, locale)} · {t('keptUntil')} <DateTime date={s.expiresAt} /></span>
                </span>
                {(usable || status === 'failed') && s.platform.status === 'active' && (
                  <JobFormButton action={undoUpgradeAction} fields={{ host, snapshotId: s.id }} label={t('undo')} pendingLabel={c('queuing')} confirm={t('undoConfirm', { host, platform: s.platform.name })} />
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
