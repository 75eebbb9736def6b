import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { groupsQuery, useAddUser, type NewMtpUser } from '../../api/admin';
import { groupName } from '../../config/access';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

export function AddUserForm() {
  const groups = useQuery(groupsQuery());
  const add = useAddUser();
  const [username, setUsername] = useState('');
  const [group, setGroup] = useState('');
  const [error, setError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = (groups.data ?? []).find((candidate) => candidate === group);
    if (!username.trim() || !chosen) {
      setError('Enter a user name and choose a group.');
      return;
    }
    setError(undefined);
    add.mutate({ username: username.trim(), group: chosen as NewMtpUser['group'] }, { onSuccess: () => setUsername('') });
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="add-user-title" noValidate>
      <h3 id="add-user-title">Add a user to a group</h3>
      <div className="row">
        <Field label="User name" error={error}>
          <input value={username} onChange={(event) => setUsername(event.target.value)} />
        </Field>
        <Field label="Group">
          <select value={group} onChange={(event) => setGroup(event.target.value)}>
            <option value="">Choose a group</option>
            {(groups.data ?? []).map((candidate) => (
              <option key={candidate} value={candidate}>
                {groupName(candidate)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={add.isPending}>
          Add
        </button>
      </div>
      {add.isError && <ErrorPanel error={add.error} />}
      {add.isSuccess && <p role="status">Added.</p>}
    </form>
  );
}
