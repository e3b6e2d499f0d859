import type { Requester } from '@/lib/exports/access';
import { siteExportViews } from '@/lib/exports/views';
import { Card } from '@/components/ui/card';
import { ExportsPanel } from './exports-panel';

/** The "Exports" card of a site, for a viewer the page has already checked (admin or the site's webmaster). */
export async function SiteExports({ viewer, siteId, host, title = 'Exports' }: { viewer: Requester; siteId: string; host: string; title?: string }) {
  const initial = await siteExportViews(viewer, siteId);
  return (
    <Card title={title}>
      <ExportsPanel host={host} initial={initial} />
    </Card>
  );
}
