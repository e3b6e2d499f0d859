import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { sitesOfWebmaster } from '@/lib/sites/site-page';
import { getTranslations } from 'next-intl/server';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { MySite } from '@/components/my/my-site';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('my'))('title') };
}

/** A webmaster's sites (only theirs, admins included), each with its links, measures, exports and database backups. */
export default async function MySitesPage() {
  const user = await requireUser();
  const t = await getTranslations('my');
  const sites = await sitesOfWebmaster(user.id);
  const now = new Date();

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      {sites.length === 0 ? (
        <EmptyState title={t('empty')}>{t('emptyHint')}</EmptyState>
      ) : (
        <div className="space-y-10">
          {sites.map((site) => (
            <MySite key={site.id} site={site} viewer={user} now={now} />
          ))}
        </div>
      )}
    </>
  );
}
