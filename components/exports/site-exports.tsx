import { getTranslations } from 'next-intl/server';
import type { Requester } from '@/lib/exports/access';
import { siteExportViews } from '@/lib/exports/views';
import { PROFILES, type ProfileName } from '@/lib/domain/profiles';
import { secretsByDefault } from '@/lib/domain/secret-files';
import { Card } from '@/components/ui/card';
import { ExportsPanel } from './exports-panel';
import { WithJobWords } from '@/components/i18n/with-job-words';

/** The "Exports" card of a site, for a viewer the page has already checked (admin or the site's webmaster). */
export async function SiteExports({ viewer, siteId, host, profileName }: { viewer: Requester; siteId: string; host: string; profileName: string }) {
  const [t, initial] = await Promise.all([getTranslations('exports'), siteExportViews(viewer, siteId)]);
  const profile = PROFILES[profileName as ProfileName] ?? PROFILES.generic;
  return (
    <Card title={t('title')}>
      <WithJobWords>
        <ExportsPanel host={host} initial={initial} secretFiles={profile.secretFiles} secretsDefault={secretsByDefault(viewer.role)} />
      </WithJobWords>
    </Card>
  );
}
