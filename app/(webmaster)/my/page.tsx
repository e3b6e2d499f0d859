import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { SiteTable } from '@/components/sites/site-table';

export const metadata: Metadata = { title: 'Your sites' };

export default async function MySitesPage() {
  const user = await requireUser();
  const links = await db.siteWebmaster.findMany({
    where: { userId: user.id },
    orderBy: { site: { host: 'asc' } },
    select: { site: { select: { id: true, host: true, status: true, createdAt: true, platform: { select: { name: true } } } } },
  });
  const sites = links.map((l) => l.site);

  return (
    <>
      <PageHeader title="Your sites" description="The sites you look after. Exports of your sites will be available here." />
      {sites.length === 0 ? (
        <EmptyState title="You have no sites yet.">When an admin makes you the webmaster of a site, it appears here.</EmptyState>
      ) : (
        <SiteTable sites={sites} hostLabel="Site" />
      )}
    </>
  );
}
