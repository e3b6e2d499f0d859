import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireAdmin } from '@/lib/auth/guards';
import { listUsers } from '@/lib/users/service';
import { CreateUserForm } from '@/components/users/create-user-form';
import { UserTable } from '@/components/users/user-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('users'))('title') };
}

export default async function UsersPage() {
  const me = await requireAdmin();
  const t = await getTranslations('users');
  const users = (await listUsers()).map((u) => ({
    ...u,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  }));

  return (
    <>
      <PageHeader title={t('title')} description={t('intro')} />
      {users.length === 0 ? <EmptyState title={t('none')} /> : <UserTable users={users} selfId={me.id} />}
      <Card title={t('createTitle')} className="mt-8">
        <CreateUserForm />
      </Card>
    </>
  );
}
