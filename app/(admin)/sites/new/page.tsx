import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { listPlatforms } from '@/lib/platforms/service';
import { Card } from '@/components/ui/card';
import { platformWithServers, serverChoice } from '@/app/_lib/site-choices';
import { PageHeader } from '@/components/ui/page-header';
import { NewSiteForm } from '@/components/sites/new-site-form';

export const metadata: Metadata = { title: 'New site' };

export default async function NewSitePage() {
  await requireAdmin();
  const [platforms, servers] = await Promise.all([listPlatforms(), listServersWithUse()]);
  const active = platforms.filter((p) => p.status === 'active');
  const activeServers = servers.filter((s) => s.status === 'active');
  // The same choice as the service makes when none is given: the marked default, else the oldest.
  const defaultPlatform =
    active.find((p) => p.isDefault) ?? [...active].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  const choices = active.map((p) => platformWithServers(p, activeServers));

  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">← Sites</Link>
      <PageHeader
        title="New site"
        description="Mutu makes its folders, its database and database user, and its connection file, as one job that undoes everything if a step fails."
      />
      <Card className="max-w-2xl">
        <NewSiteForm
          platforms={choices}
          defaultPlatform={defaultPlatform?.name ?? ''}
          servers={activeServers.map(serverChoice)}
          defaultServer={choices.find((c) => c.name === defaultPlatform?.name)?.server ?? activeServers.find((s) => s.isDefault)?.name ?? ''}
        />
      </Card>
    </>
  );
}
