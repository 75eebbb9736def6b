import { useState, type FormEvent } from 'react';
import { useUpdateRule, type PricingRule, type RulePatch } from '../../api/erp-pricing';
import { plantDate } from '../../lib/format';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';
import { fieldErrorsOf, type FieldErrors, type FieldSpec } from './field-errors';

const SPECS: Record<string, FieldSpec> = {
  rule_name: { label: 'Rule name', accepts: '1 to 150 characters' },
  priority: { label: 'Priority', accepts: 'a whole number from 0 to 1000; higher wins' },
  discount_percentage: { label: 'Discount (%)', accepts: 'a percentage from 0 to 100, at most 3 decimals' },
  discount_amount: { label: 'Discount per unit', accepts: 'an amount of 0 or more, at most 6 decimals' },
  rate: { label: 'Rate per unit', accepts: 'an amount of 0 or more, at most 6 decimals' },
  min_qty: { label: 'Minimum quantity', accepts: 'a quantity of 0 or more (0: no minimum)' },
  max_qty: { label: 'Maximum quantity', accepts: 'a quantity of 0 or more, or empty for no maximum' },
  valid_from: { label: 'Valid from', accepts: 'a day' },
  valid_to: { label: 'Valid until', accepts: 'a day after "Valid from", or empty' },
  stacking: { label: 'Stacking', accepts: 'Exclusive, Additive or Compound' },
};

/** The one field that carries the rule's value, by what kind of rule it is. */
function valueField(rule: PricingRule): 'discount_percentage' | 'discount_amount' | 'rate' {
  if (rule.rate_or_discount === 'Rate') return 'rate';
  if (rule.rate_or_discount === 'Discount Amount') return 'discount_amount';
  return 'discount_percentage';
}

interface Draft {
  rule_name: string;
  priority: string;
  value: string;
  min_qty: string;
  max_qty: string;
  valid_from: string;
  valid_to: string;
  stacking: string;
  is_active: boolean;
}

const dayOf = (instant: string | null) => (instant ? plantDate(new Date(instant)) : '');

function draftOf(rule: PricingRule): Draft {
  return {
    rule_name: rule.rule_name,
    priority: String(rule.priority),
    value: rule[valueField(rule)],
    min_qty: rule.min_qty,
    max_qty: rule.max_qty ?? '',
    valid_from: dayOf(rule.valid_from),
    valid_to: dayOf(rule.valid_to),
    stacking: rule.stacking,
    is_active: rule.is_active,
  };
}

/** What changed, as the PATCH body; numbers and dates go as typed, for the server to judge. */
function patchOf(rule: PricingRule, before: Draft, after: Draft): RulePatch {
  const patch: Record<string, unknown> = {};
  if (after.rule_name !== before.rule_name) patch.rule_name = after.rule_name;
  if (after.priority !== before.priority) patch.priority = /^\d+$/.test(after.priority) ? Number(after.priority) : after.priority;
  if (after.value !== before.value) patch[valueField(rule)] = after.value.trim();
  if (after.min_qty !== before.min_qty) patch.min_qty = after.min_qty.trim() || '0';
  if (after.max_qty !== before.max_qty) patch.max_qty = after.max_qty.trim() || null;
  if (after.valid_from !== before.valid_from) patch.valid_from = after.valid_from;
  if (after.valid_to !== before.valid_to) patch.valid_to = after.valid_to || null;
  if (after.stacking !== before.stacking) patch.stacking = after.stacking;
  if (after.is_active !== before.is_active) patch.is_active = after.is_active;
  return patch as RulePatch;
}

export function RuleEditor({ rule }: { rule: PricingRule }) {
  const update = useUpdateRule();
  const [saved, setSaved] = useState(() => draftOf(rule));
  const [draft, setDraft] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors>({ fields: {} });
  const [done, setDone] = useState(false);
  const value = valueField(rule);
  const set = (key: keyof Draft) => (next: string | boolean) => {
    setDone(false);
    setDraft((current) => ({ ...current, [key]: next }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const patch = patchOf(rule, saved, draft);
    if (Object.keys(patch).length === 0) {
      setErrors({ fields: {}, form: 'Nothing has changed.' });
      return;
    }
    setErrors({ fields: {} });
    update.mutate(
      { name: rule.name, patch },
      {
        onSuccess: (changed) => {
          const next = draftOf(changed);
          setSaved(next);
          setDraft(next);
          setDone(true);
        },
        onError: (error) => setErrors(fieldErrorsOf(error, SPECS)),
      },
    );
  }

  const at = (field: string) => errors.fields[field];
  return (
    <form className="panel" aria-labelledby="rule-editor-title" onSubmit={submit} noValidate>
      <h3 id="rule-editor-title">Edit {rule.rule_code}</h3>
      <p className="muted">
        {rule.rule_type} on {rule.apply_on === 'Item Code' ? rule.items.join(', ') : `${rule.apply_on} ${rule.apply_on_value ?? ''}`}, for{' '}
        {rule.applicable_for} {rule.applicable_for_value ?? ''}.
        {rule.tier_mode ? ` Tiered (${rule.tier_mode}): slabs are changed through the API.` : ''}
      </p>
      <div className="row">
        <Field label={SPECS.rule_name!.label} error={at('rule_name')}>
          <input value={draft.rule_name} onChange={(event) => set('rule_name')(event.target.value)} />
        </Field>
        <Field label={SPECS.priority!.label} hint="higher wins" error={at('priority')}>
          <input inputMode="numeric" value={draft.priority} onChange={(event) => set('priority')(event.target.value)} />
        </Field>
        {!rule.tier_mode && (
          <Field label={SPECS[value]!.label} error={at(value)}>
            <input inputMode="decimal" value={draft.value} onChange={(event) => set('value')(event.target.value)} />
          </Field>
        )}
        <Field label={SPECS.stacking!.label} error={at('stacking')}>
          <select value={draft.stacking} onChange={(event) => set('stacking')(event.target.value)}>
            <option value="Exclusive">Exclusive: alone, stops the rest</option>
            <option value="Additive">Additive: on the base price</option>
            <option value="Compound">Compound: on the running price</option>
          </select>
        </Field>
      </div>
      <div className="row">
        <Field label={SPECS.min_qty!.label} error={at('min_qty')}>
          <input inputMode="decimal" value={draft.min_qty} onChange={(event) => set('min_qty')(event.target.value)} />
        </Field>
        <Field label={SPECS.max_qty!.label} hint="empty: no maximum" error={at('max_qty')}>
          <input inputMode="decimal" value={draft.max_qty} onChange={(event) => set('max_qty')(event.target.value)} />
        </Field>
        <DateField
          label={SPECS.valid_from!.label}
          value={draft.valid_from}
          onChange={(next) => next !== null && set('valid_from')(next)}
          error={at('valid_from')}
        />
        <DateField
          label={SPECS.valid_to!.label}
          value={draft.valid_to}
          onChange={(next) => next !== null && set('valid_to')(next)}
          error={at('valid_to')}
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={draft.is_active} onChange={(event) => set('is_active')(event.target.checked)} /> Active
          </label>
        </div>
      </div>
      {errors.form && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      <button type="submit" disabled={update.isPending}>
        Save rule
      </button>
      {done && <p role="status">Saved. Quotes use the rule as it is now.</p>}
    </form>
  );
}
