import { useState, type FormEvent } from 'react';
import { useCreatePlatformUser, type Tier } from '../../api/gateway-admin';
import { Field } from '../../ui/field';
import { fieldErrorsOf } from '../gw-common/field-errors';
import { FormEnd, RoleField, TierField } from '../gw-common/choices';

const EMPTY = { username: '', email: '', fullName: '', password: '', role: '', tier: 'standard' as Tier };

export function NewUserForm({ roles }: { roles: readonly string[] }) {
  const create = useCreatePlatformUser();
  const [user, setUser] = useState(EMPTY);
  const [missing, setMissing] = useState<string>();
  const errors = fieldErrorsOf(create.error, {
    ROLE_ESCALATION_DENIED: 'role',
    PASSWORD_POLICY_VIOLATION: 'password',
    USER_ALREADY_EXISTS: 'username',
  });
  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => setUser({ ...user, [field]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!user.username.trim() || !user.email.trim() || !user.fullName.trim() || !user.password || !user.role) {
      setMissing('Fill in every field and choose a role.');
      return;
    }
    setMissing(undefined);
    create.mutate(
      {
        username: user.username.trim(),
        email: user.email.trim(),
        fullName: user.fullName.trim(),
        password: user.password,
        role: user.role,
        rateLimitTier: user.tier,
      },
      { onSuccess: () => setUser(EMPTY) },
    );
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-platform-user-title" noValidate>
      <h3 id="new-platform-user-title">Add a user</h3>
      <div className="row">
        <Field label="User name" error={errors.username}>
          <input autoComplete="off" value={user.username} onChange={set('username')} />
        </Field>
        <Field label="E-mail" error={errors.email}>
          <input type="email" autoComplete="off" value={user.email} onChange={set('email')} />
        </Field>
        <Field label="Full name" error={errors.fullName}>
          <input value={user.fullName} onChange={set('fullName')} />
        </Field>
        <Field label="First password" hint="They change it after signing in" error={errors.password}>
          <input type="password" autoComplete="new-password" value={user.password} onChange={set('password')} />
        </Field>
        <RoleField
          roles={roles}
          value={user.role}
          onChange={(role) => setUser({ ...user, role })}
          none="Choose a role"
          error={errors.role}
        />
        <TierField value={user.tier} onChange={(tier) => setUser({ ...user, tier })} error={errors.rateLimitTier} />
      </div>
      <FormEnd label="Add user" call={create} missing={missing} placed={Object.keys(errors).length > 0} />
      {create.isSuccess && <p role="status">Added {create.data.username}.</p>}
    </form>
  );
}
