import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { listPlatforms } from '@/lib/platforms/service';
import { Card } from '@/components/ui/card';
import { platformChoice, serverChoice } from '@/app/_lib/site-choices';
import { PageHeader } from '@/components/ui/page-header';
import { ImportSiteForm } from '@/components/imports/import-site-form';

export const metadata: Metadata = { title: 'Import a site' };


export default async function ImportSitePage() {
  await requireAdmin();
  const [platforms, servers] = await Promise.all([listPlatforms(), listServersWithUse()]);
  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">← Sites</Link>
      <PageHeader
        title="Import a site"
        description="Re-creates a site from an export of this farm or another: a new database and user, the dump restored, the uploads unpacked, the connection file written. If any step fails, everything is undone."
      />
      <Card className="max-w-2xl">
        <ImportSiteForm
          platforms={platforms.filter((p) => p.status === 'active').map(platformChoice)}
          servers={servers.filter((s) => s.status === 'active').map(serverChoice)}
        />
      </Card>
    </>
  );
}
