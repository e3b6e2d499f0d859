import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/guards';
import { listServersWithUse } from '@/lib/databases/server-registry';
import { serverAddress } from '@/lib/databases/servers';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { AddServerForm } from '@/components/servers/add-server-form';
import { ServerTable } from '@/components/servers/server-table';

export const metadata: Metadata = { title: 'Database servers' };

export default async function ServersPage() {
  await requireAdmin();
  const servers = (await listServersWithUse()).map((s) => ({
    id: s.id,
    name: s.name,
    engine: s.engine,
    address: s.engine === 'sqlite' ? 'a file in each site folder' : serverAddress(s),
    sites: s.sites,
    isDefault: s.isDefault,
    status: s.status,
    lastCheckedAt: s.lastCheckedAt,
    lastCheckOk: s.lastCheckOk,
    lastCheckError: s.lastCheckError,
  }));

  return (
    <>
      <PageHeader
        title="Database servers"
        description="Where sites' databases live. Each site gets its own database and database user, or its own tables in a shared database."
      />
      <ServerTable servers={servers} />
      <Card title="Add a server" className="mt-8">
        <AddServerForm />
      </Card>
    </>
  );
}
