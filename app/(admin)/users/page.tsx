import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth/guards';
import { listUsers } from '@/lib/users/service';
import { CreateUserForm } from '@/components/users/create-user-form';
import { UserTable } from '@/components/users/user-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireAdmin();
  const users = (await listUsers()).map((u) => ({
    ...u,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  }));

  return (
    <>
      <PageHeader title="Users" description="Admins run the farm; webmasters see and export their own sites." />
      {users.length === 0 ? <EmptyState title="No users yet" /> : <UserTable users={users} selfId={me.id} />}
      <Card title="Create a user" className="mt-8">
        <CreateUserForm />
      </Card>
    </>
  );
}
