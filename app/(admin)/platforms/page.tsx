import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { PROFILES, PROFILE_NAMES } from '@/lib/domain/profiles';
import { listPlatforms } from '@/lib/platforms/service';
import { showTemplate, templateFromJson } from '@/lib/platforms/command-template';
import { eolState } from '@/lib/domain/eol';
import { healthCheckPath } from '@/lib/domain/platform';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { AddPlatformForm } from '@/components/platforms/add-platform-form';
import { PlatformTable } from '@/components/platforms/platform-table';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('platforms'))('title') };
}

/** The stored argument array as the line an admin would type; a broken one says so rather than failing the page. */
function showCommand(stored: unknown, unreadable: string): string {
  try {
    const args = templateFromJson(stored);
    return args ? showTemplate(args) : '';
  } catch {
    return unreadable;
  }
}

export default async function PlatformsPage() {
  await requireAdmin();
  const t = await getTranslations('platforms');
  const platforms = await listPlatforms();

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      {platforms.length === 0 ? (
        <EmptyState title={t('none')}>{t('noneHint')}</EmptyState>
      ) : (
        <PlatformTable
          platforms={platforms.map((p) => ({
            id: p.id,
            name: p.name,
            profile: PROFILES[p.profile]?.label ?? p.profile,
            version: p.version,
            status: p.status,
            isDefault: p.isDefault,
            sites: p.sites,
            codePath: p.codePath,
            upgradeCommand: showCommand(p.upgradeCommand, t('unreadable')),
            installCommand: showCommand(p.installCommand, t('unreadable')),
            purgeCommand: showCommand(p.purgeCommand, t('unreadable')),
            postImportCommand: showCommand(p.postImportCommand, t('unreadable')),
            php: p.phpVersion ?? '',
            healthCheck: healthCheckPath(p.healthCheck) ?? '',
            eol: p.eolDate ? p.eolDate.toISOString().slice(0, 10) : '',
            eolState: eolState(p.eolDate),
          }))}
        />
      )}
      <Card title={t('addTitle')} className="mt-8">
        <AddPlatformForm profiles={PROFILE_NAMES.map((name) => ({ name, label: PROFILES[name].label }))} />
      </Card>
    </>
  );
}
