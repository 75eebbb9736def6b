import { useState, type FormEvent } from 'react';
import { useAssign, type NewAssignment } from '../../api/erp-segments';
import type { ErpSegment } from '../../api/erp-pricing';
import { ErrorPanel } from '../../ui/error-panel';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';

/** A dated assignment: one primary in force at a time, so a new primary may end the current one on its first day. */
export function AssignForm({ customer, segments, today }: { customer: string; segments: readonly ErpSegment[]; today: string }) {
  const assign = useAssign();
  const [segment, setSegment] = useState('');
  const [primary, setPrimary] = useState(false);
  const [replace, setReplace] = useState(false);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!segment || !from) {
      setProblem('Choose a segment and the first day it is in force.');
      return;
    }
    setProblem(undefined);
    const body: NewAssignment = {
      segment,
      is_primary: primary,
      effective_from: from,
      effective_to: to || null,
      assignment_type: 'Manual',
      ...(reason.trim() ? { assignment_reason: reason.trim() } : {}),
      ...(primary && replace ? { replace_current: true } : {}),
    };
    assign.mutate({ customer, body }, { onSuccess: () => setReason('') });
  }

  return (
    <form className="panel" aria-labelledby="assign-title" onSubmit={submit} noValidate>
      <h4 id="assign-title">Assign a segment</h4>
      <div className="row">
        <Field label="Segment" error={problem}>
          <select value={segment} onChange={(event) => setSegment(event.target.value)}>
            <option value="">Choose a segment</option>
            {segments.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.segment_name} ({candidate.segment_code})
              </option>
            ))}
          </select>
        </Field>
        <DateField label="In force from" value={from} onChange={(next) => next !== null && setFrom(next)} />
        <DateField
          label="Ends on (first day out)"
          hint="dd/mm/yyyy · empty: open-ended"
          value={to}
          onChange={(next) => next !== null && setTo(next)}
        />
        <Field label="Reason">
          <input value={reason} onChange={(event) => setReason(event.target.value)} />
        </Field>
      </div>
      <div className="row">
        <label>
          <input type="checkbox" checked={primary} onChange={(event) => setPrimary(event.target.checked)} /> Primary segment
        </label>
        <label>
          <input type="checkbox" checked={replace} disabled={!primary} onChange={(event) => setReplace(event.target.checked)} /> End the
          current primary on that day
        </label>
        <button type="submit" disabled={assign.isPending}>
          Assign
        </button>
      </div>
      {assign.isError && <ErrorPanel error={assign.error} />}
      {assign.isSuccess && <p role="status">Assigned.</p>}
    </form>
  );
}
