import { useState } from 'react';
import { formatPlantTime } from '../../lib/format';
import { Dialog } from '../../ui/dialog';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

/** How long a rotated key keeps working, so its clients can move to the new one. */
const GRACE_CHOICES = [
  { seconds: 0, label: 'Stop it now' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
  { seconds: 30 * 86_400, label: '30 days' },
];

interface Pending {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/** Asks how long the old key may keep working, then rotates. */
export function RotateDialog({
  name,
  call,
  onRotate,
  onClose,
}: {
  name: string;
  call: Pending;
  onRotate: (graceSeconds: number) => void;
  onClose: () => void;
}) {
  const [grace, setGrace] = useState(86_400);
  return (
    <Dialog open title={`Rotate ${name}`} onClose={onClose}>
      <p>A new key with the same owner and rights is issued. The old one keeps working for the time you choose, then stops.</p>
      <Field label="Old key keeps working for" hint={`until ${formatPlantTime(Date.now() + grace * 1000)} Sri Lanka time`}>
        <select value={grace} onChange={(event) => setGrace(Number(event.target.value))}>
          {GRACE_CHOICES.map((choice) => (
            <option key={choice.seconds} value={choice.seconds}>
              {choice.label}
            </option>
          ))}
        </select>
      </Field>
      <div className="row">
        <button type="button" disabled={call.isPending} onClick={() => onRotate(grace)}>
          Rotate
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
      {call.isError && <ErrorPanel error={call.error} />}
    </Dialog>
  );
}

/** Revoking cannot be undone: the user confirms in a dialog whose first button is Cancel. */
export function RevokeDialog({
  name,
  call,
  onRevoke,
  onClose,
}: {
  name: string;
  call: Pending;
  onRevoke: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open title={`Revoke ${name}?`} onClose={onClose}>
      <p>Every call made with it is refused from now on, on every gateway. This cannot be undone.</p>
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={call.isPending} onClick={onRevoke}>
          Revoke
        </button>
      </div>
      {call.isError && <ErrorPanel error={call.error} />}
    </Dialog>
  );
}

/** A key's state in words: revoked, expired, expiring, or active. */
export function keyState(key: { isActive: boolean; expiresAt: string | null }, now = Date.now()): string {
  if (!key.isActive) return 'Revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'Expired';
  if (key.expiresAt) return `Active until ${formatPlantTime(key.expiresAt)}`;
  return 'Active';
}

/** What identifies an API key without its secret: every key starts trk_ and the first hex of its id. */
export const keyPrefix = (keyId: string) => `trk_${keyId.replace(/-/g, '').slice(0, 8)}…`;

/** Where the gateway's refusals of a new key belong on the form. */
export const KEY_FIELD_OF_CODE = { INVALID_SCOPE: 'scopes', USER_NOT_FOUND: 'userId', ROLE_ESCALATION_DENIED: 'userId' } as const;
