import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { SiteTable } from '@/components/sites/site-table';
import { Card } from '@/components/ui/card';
import { SiteBackups } from '@/components/backups/site-backups';
import { listBackups } from '@/lib/backups/files';
import { backupLink } from '@/lib/backups/download';
import { config } from '@/lib/config';

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
      {sites.map((s) => (
        <Card key={s.id} title={`Database backups of ${s.host}`} className="mt-6">
          <SiteBackups backups={listBackups(s.host)} keep={config().backupKeep} linkFor={(name) => backupLink(s.host, name, user.id)} />
        </Card>
      ))}
    </>
  );
}
