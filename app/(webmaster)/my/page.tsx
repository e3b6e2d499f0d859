import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { SITE_MEASURES } from '@/lib/sites/site-page';
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
  const links = await db.siteWebmaster.findMany({
    where: { userId: user.id },
    orderBy: { site: { host: 'asc' } },
    select: {
      site: {
        select: {
          id: true,
          host: true,
          status: true,
          createdAt: true,
          upgradedAt: true,
          ...SITE_MEASURES,
          platform: { select: { name: true, profile: true } },
        },
      },
    },
  });
  const now = new Date();

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      {links.length === 0 ? (
        <EmptyState title={t('empty')}>{t('emptyHint')}</EmptyState>
      ) : (
        <div className="space-y-10">
          {links.map(({ site }) => (
            <MySite key={site.id} site={site} viewer={user} now={now} />
          ))}
        </div>
      )}
    </>
  );
}
