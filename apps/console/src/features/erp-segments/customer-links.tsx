import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  assignmentsQuery,
  territoriesQuery,
  useEndAssignment,
  useMapTerritory,
  type Assignment,
  type Territory,
} from '../../api/erp-segments';
import type { ErpSegment } from '../../api/erp-pricing';
import { dayFirst } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { QueryState } from '../../ui/query-state';
import { AssignForm } from './assign-form';

const ends = (day: string | null) => (day ? dayFirst(day) : 'open');

const TERRITORY_COLUMNS: ReadonlyArray<Column<Territory>> = [
  { key: 'territory', header: 'Territory', text: (row) => row.territory },
  { key: 'from', header: 'From', text: (row) => dayFirst(row.effective_from) },
  { key: 'to', header: 'Ends (first day out)', text: (row) => ends(row.effective_to) },
  { key: 'level', header: 'Service level', text: (row) => row.service_level ?? '' },
  { key: 'reason', header: 'Reason', text: (row) => row.mapping_reason ?? '' },
];

function TerritoryForm({ customer }: { customer: string }) {
  const map = useMapTerritory();
  const [territory, setTerritory] = useState('');
  const [reason, setReason] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!territory.trim()) return;
    map.mutate(
      { customer, body: { territory: territory.trim(), ...(reason.trim() ? { mapping_reason: reason.trim() } : {}) } },
      { onSuccess: () => setTerritory('') },
    );
  }
  return (
    <form className="row" aria-label="Map a territory" onSubmit={submit}>
      <Field label="Territory">
        <input value={territory} onChange={(event) => setTerritory(event.target.value)} />
      </Field>
      <Field label="Why">
        <input value={reason} onChange={(event) => setReason(event.target.value)} />
      </Field>
      <button type="submit" disabled={map.isPending}>
        Map territory
      </button>
      {map.isError && <ErrorPanel error={map.error} />}
    </form>
  );
}

/** One customer's segment history (every assignment, ended and future ones too) and territories. */
export function CustomerLinks({
  customer,
  segments,
  manage,
  today,
}: {
  customer: string;
  segments: readonly ErpSegment[];
  manage: boolean;
  today: string;
}) {
  const assignments = useQuery(assignmentsQuery(customer));
  const territories = useQuery(territoriesQuery(customer));
  const end = useEndAssignment();
  const columns: Array<Column<Assignment>> = [
    { key: 'segment', header: 'Segment', text: (row) => row.segment_code },
    { key: 'primary', header: 'Primary', text: (row) => (row.is_primary ? 'Primary' : '') },
    {
      key: 'from',
      header: 'From',
      text: (row) => dayFirst(row.effective_from),
      compare: (a, b) => a.effective_from.localeCompare(b.effective_from),
    },
    { key: 'to', header: 'Ends (first day out)', text: (row) => ends(row.effective_to) },
    { key: 'status', header: 'Status', text: (row) => row.status },
    { key: 'type', header: 'How', text: (row) => row.assignment_type },
    { key: 'reason', header: 'Reason', text: (row) => row.assignment_reason ?? '' },
    { key: 'review', header: 'Review on', text: (row) => (row.review_date ? dayFirst(row.review_date) : '') },
    { key: 'by', header: 'By', text: (row) => row.assigned_by ?? '' },
  ];
  if (manage)
    columns.push({
      key: 'end',
      header: 'End',
      text: () => '',
      render: (row) =>
        row.status === 'Active' || row.status === 'Scheduled' ? (
          <button
            type="button"
            className="secondary"
            aria-label={`End ${row.segment_code} from today`}
            disabled={end.isPending}
            onClick={() => end.mutate({ customer, assignment: row.name })}
          >
            End
          </button>
        ) : null,
    });
  return (
    <section className="panel" aria-labelledby="links-title">
      <h3 id="links-title">Segments of {customer}</h3>
      {manage && <AssignForm customer={customer} segments={segments} today={today} />}
      {end.isError && <ErrorPanel error={end.error} />}
      <QueryState query={assignments} loading="Loading the history…">
        {(rows) => (
          <DataTable
            caption="Assignment history"
            rows={rows}
            columns={columns}
            rowKey={(row) => row.name}
            exportName={`segments-${customer}`}
            empty="Never assigned to a segment."
          />
        )}
      </QueryState>
      <h4>Territories</h4>
      {manage && <TerritoryForm customer={customer} />}
      <QueryState query={territories} loading="Loading territories…">
        {(rows) => (
          <DataTable
            caption="Territories"
            rows={rows}
            columns={TERRITORY_COLUMNS}
            rowKey={(row) => row.name}
            exportName={`territories-${customer}`}
            empty="No territory mapped beyond the customer's own."
          />
        )}
      </QueryState>
    </section>
  );
}
