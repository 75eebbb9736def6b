import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { conflictQuery, textOf, useResolveConflict, type Row } from '../../api/sync';
import { formatPlantTime } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { QueryState } from '../../ui/query-state';
import { conflictWord } from './words';

type Pick = 'source' | 'target' | 'typed';
interface Decision {
  pick: Pick;
  typed: string;
}

const WHOLE = '(whole value)';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => (value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of the three values, in the source's order, then those only the target or base has. */
function fieldsOf(source: unknown, target: unknown, base: unknown): string[] {
  if (!isRecord(source) || !isRecord(target)) return [WHOLE];
  const keys = [...Object.keys(source), ...Object.keys(target), ...(isRecord(base) ? Object.keys(base) : [])];
  return [...new Set(keys)];
}

const valueAt = (value: unknown, field: string) => (field === WHOLE ? value : isRecord(value) ? value[field] : undefined);

/** A typed value: JSON when it reads as JSON (numbers, true, objects), else the text itself. */
function typedValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What to send: the source or target whole when every field took that side, else the value put together field by field. */
function resolution(fields: string[], decisions: Record<string, Decision>, source: unknown, target: unknown) {
  const picks = fields.map((field) => decisions[field]!.pick);
  if (picks.every((pick) => pick === 'source')) return { choice: 'source' as const };
  if (picks.every((pick) => pick === 'target')) return { choice: 'target' as const };
  const chosen = (field: string) => {
    const decision = decisions[field]!;
    if (decision.pick === 'typed') return typedValue(decision.typed);
    return valueAt(decision.pick === 'source' ? source : target, field);
  };
  if (fields.length === 1 && fields[0] === WHOLE) return { choice: 'custom' as const, value: chosen(WHOLE) };
  const value = Object.fromEntries(fields.map((field) => [field, chosen(field)]).filter(([, v]) => v !== undefined));
  return { choice: 'custom' as const, value };
}

function DiffTable({
  conflict,
  fields,
  decisions,
  onDecide,
  open,
}: {
  conflict: Row;
  fields: string[];
  decisions: Record<string, Decision>;
  onDecide: (field: string, decision: Decision) => void;
  open: boolean;
}) {
  const { source_value: source, target_value: target, expected_value: base } = conflict;
  return (
    <div className="table-wrap">
      <table className="conflict-diff">
        <caption className="muted">Source, target and base values side by side; fields that differ are marked</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Source (sent)</th>
            <th scope="col">Target (holds)</th>
            <th scope="col">Base (last agreed)</th>
            {open && <th scope="col">Keep</th>}
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const differs = !same(valueAt(source, field), valueAt(target, field));
            const decision = decisions[field]!;
            return (
              <tr key={field} className={differs ? 'changed' : undefined}>
                <th scope="row">
                  {field}
                  {differs && <span className="status differs">differs</span>}
                </th>
                <td>{show(valueAt(source, field))}</td>
                <td>{show(valueAt(target, field))}</td>
                <td>{base === null || base === undefined ? 'not recorded' : show(valueAt(base, field))}</td>
                {open && (
                  <td>
                    <Field label={`Keep for ${field}`}>
                      <select
                        value={decision.pick}
                        onChange={(event) => onDecide(field, { ...decision, pick: event.target.value as Pick })}
                      >
                        <option value="source">Source value</option>
                        <option value="target">Target value</option>
                        <option value="typed">A value I type</option>
                      </select>
                    </Field>
                    {decision.pick === 'typed' && (
                      <Field label={`Value for ${field}`}>
                        <input value={decision.typed} onChange={(event) => onDecide(field, { ...decision, typed: event.target.value })} />
                      </Field>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Resolver({ conflict }: { conflict: Row }) {
  const conflictId = textOf(conflict, 'conflict_id');
  const { source_value: source, target_value: target, expected_value: base } = conflict;
  const fields = fieldsOf(source, target, base);
  const [decisions, setDecisions] = useState<Record<string, Decision>>(() =>
    Object.fromEntries(fields.map((field) => [field, { pick: 'source' as Pick, typed: show(valueAt(source, field)) }])),
  );
  const [reason, setReason] = useState('');
  const resolve = useResolveConflict();
  const status = textOf(conflict, 'resolution_status');
  const open = status === 'pending' || status === 'escalated';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate({ conflictId, reason, ...resolution(fields, decisions, source, target) });
  };
  return (
    <form onSubmit={submit} aria-label="Resolve the conflict">
      <DiffTable
        conflict={conflict}
        fields={fields}
        decisions={decisions}
        open={open}
        onDecide={(field, decision) => setDecisions((current) => ({ ...current, [field]: decision }))}
      />
      {open ? (
        <>
          <Field label="Why this resolution" hint="Kept in the conflict's audit trail.">
            <textarea required value={reason} onChange={(event) => setReason(event.target.value)} />
          </Field>
          <button type="submit" disabled={resolve.isPending || reason.trim() === ''}>
            Resolve and deliver
          </button>
        </>
      ) : (
        <p>
          Settled value: <code>{show(conflict.resolved_value)}</code>
        </p>
      )}
      {resolve.isError && <ErrorPanel error={resolve.error} />}
      <p role="status">{resolve.isSuccess ? 'Resolved: the chosen value is being delivered to the target.' : ''}</p>
    </form>
  );
}

/** One conflict: what each side holds, what is at stake, and the manual resolution. */
export function ConflictDetail({ conflictId, onClose }: { conflictId: string; onClose: () => void }) {
  const query = useQuery(conflictQuery(conflictId));
  return (
    <section className="panel" aria-labelledby="conflict-title">
      <h3 id="conflict-title">Conflict</h3>
      <QueryState query={query} loading="Loading the conflict…">
        {(conflict) => (
          <>
            <p>
              {textOf(conflict, 'entity_type')} <strong>{textOf(conflict, 'entity_id')}</strong>:{' '}
              {conflictWord(textOf(conflict, 'resolution_status'))}, detected {formatPlantTime(textOf(conflict, 'detected_at'))}. Target
              version {textOf(conflict, 'target_version') || '–'}, source version {textOf(conflict, 'source_version') || '–'}.
            </p>
            <Resolver conflict={conflict} />
          </>
        )}
      </QueryState>
      <button type="button" className="secondary" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
