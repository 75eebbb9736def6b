import { TIERS, type Tier } from '../../api/gateway-admin';
import { groupName } from '../../config/access';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

/** The tiers in the words on screen. */
export const TIER_NAMES: Record<Tier, string> = { basic: 'Basic', standard: 'Standard', premium: 'Premium', unlimited: 'Unlimited' };

export const tierName = (tier: string): string => TIER_NAMES[tier as Tier] ?? tier;

/** Comma- or space-separated words as a list ("erp:read, orders:*"). */
export function wordsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((word) => word.trim())
    .filter(Boolean);
}

/** A rate-limit tier chooser (users and keys alike). */
export function TierField({ value, onChange, error }: { value: Tier; onChange: (tier: Tier) => void; error?: string | undefined }) {
  return (
    <Field label="Rate-limit tier" error={error}>
      <select value={value} onChange={(event) => onChange(event.target.value as Tier)}>
        {TIERS.map((tier) => (
          <option key={tier} value={tier}>
            {TIER_NAMES[tier]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A role chooser in the users' words; `none` is the first choice's text when there may be none. */
export function RoleField({
  label = 'Role',
  roles,
  value,
  onChange,
  none,
  error,
}: {
  label?: string;
  roles: readonly string[];
  value: string;
  onChange: (role: string) => void;
  none?: string;
  error?: string | undefined;
}) {
  return (
    <Field label={label} error={error}>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {none !== undefined && <option value="">{none}</option>}
        {roles.map((role) => (
          <option key={role} value={role}>
            {groupName(role)}
          </option>
        ))}
      </select>
    </Field>
  );
}

interface Call {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/**
 * A form's submit button and what its last try said: what is missing, or the server's refusal
 * when no field took it (`placed` says a field did).
 */
export function FormEnd({ label, call, missing, placed }: { label: string; call: Call; missing: string | undefined; placed: boolean }) {
  return (
    <>
      <button type="submit" disabled={call.isPending}>
        {label}
      </button>
      {missing && <p className="field-error">{missing}</p>}
      {call.isError && !placed && <ErrorPanel error={call.error} />}
    </>
  );
}
