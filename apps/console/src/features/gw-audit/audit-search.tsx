import { useState, type FormEvent } from 'react';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';

export interface AuditSearchValues {
  actor: string;
  path: string;
  decision: string;
  /** Instants (ISO, UTC). */
  from: string | undefined;
  to: string;
}

/** A day in Sri Lanka (UTC+5:30, no daylight saving) as the instant it starts. */
const startOfPlantDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+05:30`)).toISOString();
const DAY_MS = 86_400_000;

/**
 * Actor, action and days. The end is pinned when the search is made (the end of the chosen
 * day, or that moment): the log grows with every call, this page's own included, so a pinned
 * end keeps every page and the export on exactly the same rows.
 */
export function AuditSearch({ decisions, onSearch }: { decisions: Record<string, string>; onSearch: (values: AuditSearchValues) => void }) {
  const [actor, setActor] = useState('');
  const [path, setPath] = useState('');
  const [decision, setDecision] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (from && to && to < from) {
      setProblem('The last day comes before the first.');
      return;
    }
    setProblem(undefined);
    const now = Date.now();
    const end = to ? Math.min(Date.parse(startOfPlantDay(to)) + DAY_MS, now) : now;
    onSearch({
      actor: actor.trim(),
      path: path.trim(),
      decision,
      from: from ? startOfPlantDay(from) : undefined,
      to: new Date(end).toISOString(),
    });
  }

  return (
    <form className="panel" role="search" aria-label="Search the audit log" onSubmit={submit} noValidate>
      <div className="row">
        <Field label="Who (user id)" hint="e.g. usr_admin">
          <input value={actor} onChange={(event) => setActor(event.target.value)} />
        </Field>
        <Field label="Path called" hint="The exact path, e.g. /api/v1/admin/users">
          <input value={path} onChange={(event) => setPath(event.target.value)} />
        </Field>
        <Field label="Decision">
          <select value={decision} onChange={(event) => setDecision(event.target.value)}>
            <option value="">Any</option>
            {Object.entries(decisions).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </Field>
        <DateField label="From day" value={from} onChange={(day) => setFrom(day ?? '')} />
        <DateField label="To day" value={to} onChange={(day) => setTo(day ?? '')} error={problem} />
      </div>
      <button type="submit">Search</button>
    </form>
  );
}
