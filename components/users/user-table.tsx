import { Table, TBody, TH, THead } from '@/components/ui/table';
import { UserRow, type UserRowData } from './user-row';
import { useTranslations } from 'next-intl';

export function UserTable({ users, selfId }: { users: UserRowData[]; selfId: string }) {
  const t = useTranslations('users.table');
  return (
    <Table>
      <THead>
        <tr>
          <TH>{t('email')}</TH>
          <TH>{t('role')}</TH>
          <TH>{t('sites')}</TH>
          <TH>{t('created')}</TH>
          <TH>{t('lastLogin')}</TH>
          <TH><span className="sr-only">{t('actions')}</span></TH>
        </tr>
      </THead>
      <TBody>
        {users.map((u) => (
          <UserRow key={u.id} user={u} isSelf={u.id === selfId} />
        ))}
      </TBody>
    </Table>
  );
}
