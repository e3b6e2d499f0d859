import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listCodes } from '@/lib/codes/service';
import { listPlatforms } from '@/lib/platforms/service';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { CodeTable } from '@/components/codes/code-table';
import { CreateCodeForm } from '@/components/codes/create-code-form';
import { NewCode, NewCodeProvider } from '@/components/codes/new-code';
import { publicLink } from '@/lib/mail/links';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('codes'))('title') };
}

export default async function CodesPage() {
  await requireAdmin();
  const t = await getTranslations('codes');
  const [codes, platforms] = await Promise.all([listCodes(), listPlatforms()]);

  return (
    <NewCodeProvider>
      <PageHeader
        title={t('title')}
        description={t('intro')}
      />
      <NewCode createUrl={publicLink('/create')} />
      {codes.length === 0 ? (
        <EmptyState title={t('none')}>{t('noneHint')}</EmptyState>
      ) : (
        <CodeTable
          codes={codes.map((c) => ({
            id: c.id,
            lookup: c.lookup,
            label: c.label,
            state: c.state,
            uses: c.uses,
            maxUses: c.maxUses,
            hostPattern: c.hostPattern,
            platform: c.platform,
            expiresAt: c.expiresAt,
            createdAt: c.createdAt,
          }))}
        />
      )}
      <Card title={t('createTitle')} className="mt-8">
        <CreateCodeForm platforms={platforms.filter((p) => p.status === 'active').map((p) => p.name)} />
      </Card>
    </NewCodeProvider>
  );
}
