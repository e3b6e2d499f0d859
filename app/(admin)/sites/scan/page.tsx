import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { PageHeader } from '@/components/ui/page-header';
import { ScanPanel } from '@/components/sites/scan-panel';

export const metadata: Metadata = { title: 'Scan the farm' };

/** Compares the farm folder with the registry, and adopts folders nobody knows. */
export default async function ScanPage() {
  await requireAdmin();
  // In the order adopting chooses a default platform: the default one, else the oldest.
  const platforms = await db.platform.findMany({
    where: { status: 'active' },
    select: { name: true, profile: true, version: true },
    orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }],
  });

  return (
    <>
      <Link href="/sites" className="text-sm text-slate-500 hover:text-slate-800">← Sites</Link>
      <PageHeader
        title="Scan the farm"
        description={
          <>
            Finds folders in <code className="font-mono text-xs">sites/</code> that no site owns (an existing SPIP farm, a copied site) and sites
            whose folder or database is gone. The scan only reads; adopting a folder adds it to the registry without touching its files or
            database. The database&apos;s server must be <Link href="/servers" className="font-medium text-indigo-600 hover:text-indigo-500">registered</Link> first.
          </>
        }
      />
      <ScanPanel platforms={platforms.map((p) => ({ name: p.name, profile: p.profile, label: p.version && !p.name.includes(p.version) ? `${p.name} (${p.version})` : p.name }))} />
    </>
  );
}
