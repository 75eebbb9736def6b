import { useState } from 'react';
import { useChangePlatformUser, useRevokeTokens, type PlatformUser, type Tier, type UserChanges } from '../../api/gateway-admin';
import { groupName } from '../../config/access';
import { Dialog } from '../../ui/dialog';
import { ErrorPanel } from '../../ui/error-panel';
import { RoleField, TierField } from '../gw-common/choices';
import { fieldErrorsOf } from '../gw-common/field-errors';

interface ManageUserDialogProps {
  user: PlatformUser;
  roles: readonly string[];
  onClose: () => void;
}

/** One user's role, tier, access and sessions; each change is sent on its own, so one refusal spoils nothing else. */
export function ManageUserDialog({ user, roles, onClose }: ManageUserDialogProps) {
  const change = useChangePlatformUser();
  const revoke = useRevokeTokens();
  const [current, setCurrent] = useState(user);
  const [role, setRole] = useState(user.role);
  const [tier, setTier] = useState<Tier>(user.rateLimitTier as Tier);
  const [done, setDone] = useState<string>();

  const send = (changes: UserChanges, said: string) =>
    change.mutate(
      { userId: user.userId, changes },
      {
        onSuccess: (updated) => {
          setCurrent(updated);
          setDone(said);
        },
      },
    );
  // The gateway refuses a role above the administrator's own with ROLE_ESCALATION_DENIED: that belongs to the role field.
  const errors = fieldErrorsOf(change.error, { ROLE_ESCALATION_DENIED: 'role' });
  const placed = Boolean(errors.role || errors.rateLimitTier);

  return (
    <Dialog open title={`Manage ${user.username}`} onClose={onClose}>
      <p>
        {current.fullName}, {groupName(current.role)}. {current.isActive ? 'Can sign in.' : 'Deactivated: cannot sign in.'}
        {current.isLocked && current.isActive ? ' Locked out after failed sign-ins.' : ''}
      </p>
      <div className="row">
        <RoleField roles={roles} value={role} onChange={setRole} error={errors.role} />
        <div className="field">
          <button type="button" disabled={change.isPending || role === current.role} onClick={() => send({ role }, 'Role changed.')}>
            Change role
          </button>
        </div>
      </div>
      <div className="row">
        <TierField value={tier} onChange={setTier} error={errors.rateLimitTier} />
        <div className="field">
          <button
            type="button"
            disabled={change.isPending || tier === current.rateLimitTier}
            onClick={() => send({ rateLimitTier: tier }, 'Tier changed.')}
          >
            Change tier
          </button>
        </div>
      </div>
      <div className="row">
        {current.isActive ? (
          <button
            type="button"
            className="danger"
            disabled={change.isPending}
            onClick={() => send({ isActive: false }, 'Deactivated: every session of this user has ended.')}
          >
            Deactivate
          </button>
        ) : (
          <button type="button" disabled={change.isPending} onClick={() => send({ isActive: true }, 'Reactivated.')}>
            Reactivate
          </button>
        )}
        {current.isLocked && (
          <button type="button" className="secondary" disabled={change.isPending} onClick={() => send({ unlock: true }, 'Unlocked.')}>
            Unlock sign-in
          </button>
        )}
        <button
          type="button"
          className="secondary"
          disabled={revoke.isPending}
          onClick={() =>
            revoke.mutate(user.userId, { onSuccess: (answer) => setDone(`Signed out everywhere: ${answer.revoked} sessions ended.`) })
          }
        >
          Sign out everywhere
        </button>
      </div>
      {change.isError && !placed && <ErrorPanel error={change.error} />}
      {revoke.isError && <ErrorPanel error={revoke.error} />}
      {done && <p role="status">{done}</p>}
      <button type="button" className="secondary" onClick={onClose}>
        Close
      </button>
    </Dialog>
  );
}
