import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { StatusBadge } from '@/components/ui/badge';
import { SiteExports } from '@/components/exports/site-exports';
import { visitUrl } from '@/components/sites/site-links';
import { SiteBackups } from '@/components/backups/site-backups';
import { listBackups } from '@/lib/backups/files';
import { backupLink } from '@/lib/backups/download';
import { config } from '@/lib/config';

export const metadata: Metadata = { title: 'Your sites' };

/** A webmaster's sites (only theirs, admins included), each with its exports and database backups. */
export default async function MySitesPage() {
  const user = await requireUser();
  const links = await db.siteWebmaster.findMany({
    where: { userId: user.id },
    orderBy: { site: { host: 'asc' } },
    select: { site: { select: { id: true, host: true, status: true, platform: { select: { name: true } } } } },
  });
  const sites = links.map((l) => l.site);

  return (
    <>
      <PageHeader title="Your sites" description="The sites you look after. Prepare an export to take your data away: the database dump, the uploaded files and, if you choose, the site's secret keys." />
      {sites.length === 0 ? (
        <EmptyState title="You have no sites yet.">When an admin makes you the webmaster of a site, it appears here.</EmptyState>
      ) : (
        <div className="space-y-6">
          {sites.map((site) => {
            const backups = listBackups(site.host);
            return (
            <section key={site.id} aria-label={site.host} data-site={site.host}>
              <div className="mb-2 flex flex-wrap items-center gap-2">
                <h2 className="text-base font-semibold text-slate-900">{site.host}</h2>
                <StatusBadge status={site.status} />
                <span className="text-xs text-slate-500">on {site.platform.name}</span>
                <a href={visitUrl(site.host)} target="_blank" rel="noreferrer" className="ml-auto text-xs font-medium text-indigo-600 hover:text-indigo-500">Visit ↗</a>
              </div>
              <SiteExports viewer={user} siteId={site.id} host={site.host} />
              {(config().backupKeep > 0 || backups.length > 0) && (
                <div className="mt-3">
                  <h3 className="mb-1 text-sm font-medium text-slate-800">Daily database backups</h3>
                  <SiteBackups backups={backups} keep={config().backupKeep} linkFor={(name) => backupLink(site.host, name, user.id)} />
                </div>
              )}
            </section>
            );
          })}
        </div>
      )}
    </>
  );
}
