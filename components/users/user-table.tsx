import { Table, TBody, TH, THead } from '@/components/ui/table';
import { UserRow, type UserRowData } from './user-row';

export function UserTable({ users, selfId }: { users: UserRowData[]; selfId: string }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>E-mail</TH>
          <TH>Role</TH>
          <TH>Sites</TH>
          <TH>Created</TH>
          <TH>Last login</TH>
          <TH><span className="sr-only">Actions</span></TH>
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
