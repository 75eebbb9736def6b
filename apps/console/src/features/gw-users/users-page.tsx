import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { platformUsersQuery, type PlatformUser, type UserFilters } from '../../api/gateway-admin';
import { groupName } from '../../config/access';
import { formatPlantTime } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { RoleField, tierName } from '../gw-common/choices';
import { PagedQuery } from '../gw-common/paged-query';
import { ManageUserDialog } from './manage-user-dialog';
import { NewUserForm } from './new-user-form';
import { grantableBy } from './roles';

const LIMIT = 20;

function statusOf(user: PlatformUser): string {
  if (!user.isActive) return 'Deactivated';
  return user.isLocked ? 'Locked out (failed sign-ins)' : 'Active';
}

export default function PlatformUsersPage() {
  const roles = grantableBy(useSession().user?.role);
  const [filters, setFilters] = useState<UserFilters>({ page: 1, limit: LIMIT, sortBy: 'username', sortOrder: 'asc' });
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [managing, setManaging] = useState<PlatformUser>();
  const query = useQuery(platformUsersQuery(filters));

  function applyFilters(event: FormEvent) {
    event.preventDefault();
    setFilters({
      page: 1,
      limit: LIMIT,
      sortBy: 'username',
      sortOrder: 'asc',
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(role ? { role } : {}),
      ...(status ? { isActive: status === 'active' } : {}),
    });
  }

  const columns: Array<Column<PlatformUser>> = [
    { key: 'username', header: 'User name', text: (user) => user.username },
    { key: 'name', header: 'Full name', text: (user) => user.fullName },
    { key: 'role', header: 'Role', text: (user) => groupName(user.role) },
    { key: 'tier', header: 'Rate-limit tier', text: (user) => tierName(user.rateLimitTier) },
    { key: 'status', header: 'Status', text: statusOf },
    { key: 'last', header: 'Last sign-in', text: (user) => formatPlantTime(user.lastLoginAt) || 'Never' },
    {
      key: 'manage',
      header: 'Manage',
      text: () => '',
      render: (user) => (
        <button type="button" className="secondary" aria-label={`Manage ${user.username}`} onClick={() => setManaging(user)}>
          Manage
        </button>
      ),
    },
  ];

  return (
    <section aria-labelledby="platform-users-title">
      <h2 id="platform-users-title">Platform users</h2>
      <p className="muted">Everyone who signs in to the platform or calls its API. Times are Sri Lanka time.</p>
      <NewUserForm roles={roles} />
      <form className="table-tools" role="search" aria-label="Find users" onSubmit={applyFilters}>
        <Field label="Name, user name or e-mail">
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </Field>
        <RoleField roles={roles} value={role} onChange={setRole} none="Any role" />
        <Field label="Status">
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="inactive">Deactivated</option>
          </select>
        </Field>
        <div className="field">
          <button type="submit">Find users</button>
        </div>
      </form>
      <PagedQuery
        query={query}
        loading="Loading users…"
        caption="Platform users"
        columns={columns}
        rowKey={(user) => user.userId}
        onPage={(page) => setFilters({ ...filters, page })}
        empty="No users match these filters."
      />
      {managing && <ManageUserDialog user={managing} roles={roles} onClose={() => setManaging(undefined)} />}
    </section>
  );
}
