import { useQuery } from '@tanstack/react-query';
import { useRemoveUser, usersQuery, type MtpUser } from '../../api/admin';
import { can, groupName } from '../../config/access';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { QueryTable } from '../../ui/query-table';
import { AddUserForm } from './add-user-form';

export default function UsersPage() {
  const role = useSession().user?.role;
  const query = useQuery(usersQuery());
  const remove = useRemoveUser();
  const manage = can(role, 'users.manage');
  const columns: Array<Column<MtpUser>> = [
    { key: 'username', header: 'User name', text: (user) => user.username },
    { key: 'group', header: 'Group', text: (user) => groupName(user.group) },
  ];
  if (manage) {
    columns.push({
      key: 'remove',
      header: 'Remove',
      text: () => '',
      render: (user) => (
        <button
          type="button"
          className="danger"
          aria-label={`Remove ${user.username}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate(user.sub)}
        >
          Remove
        </button>
      ),
    });
  }
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users and groups</h2>
      {manage && <AddUserForm />}
      {remove.isError && <ErrorPanel error={remove.error} />}
      <QueryTable
        query={query}
        loading="Loading users…"
        caption="Users"
        columns={columns}
        rowKey={(user) => user.sub}
        exportName="users"
        empty="No users are mapped to groups yet."
      />
    </section>
  );
}
