import { useQuery } from '@tanstack/react-query';
import { platformUsersQuery } from '../../api/gateway-admin';
import { groupName } from '../../config/access';
import { Field } from '../../ui/field';

/** A key acts as its owner, with the owner's role: the owner is chosen from the platform's users. */
export function OwnerField({ value, onChange, error }: { value: string; onChange: (userId: string) => void; error?: string | undefined }) {
  const users = useQuery(platformUsersQuery({ page: 1, limit: 200, isActive: true, sortBy: 'username', sortOrder: 'asc' }));
  return (
    <Field label="Owner" hint="The key acts as this user, with their role" error={error}>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{users.isPending ? 'Loading users…' : 'Choose a user'}</option>
        {(users.data?.items ?? []).map((user) => (
          <option key={user.userId} value={user.userId}>
            {user.username} ({groupName(user.role)})
          </option>
        ))}
      </select>
    </Field>
  );
}
