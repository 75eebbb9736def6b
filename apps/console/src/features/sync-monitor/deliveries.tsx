import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  deliveriesQuery,
  textOf,
  useReplayFiltered,
  useReplayOne,
  type DeliveryFilter,
  type DeliveryState,
  type Row,
} from '../../api/sync';
import { formatPlantTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { QueryState } from '../../ui/query-state';
import { KeysetPager, useKeyset } from './keyset';
import { STATE_WORDS, stateWord } from './words';

const baseColumns: Array<Column<Row>> = [
  { key: 'event', header: 'Event', text: (row) => textOf(row, 'event_name') },
  { key: 'entity', header: 'Record', text: (row) => `${textOf(row, 'entity_type')} ${textOf(row, 'entity_id')}` },
  { key: 'flow', header: 'Flow', text: (row) => `${textOf(row, 'source_system')} → ${textOf(row, 'target_system')}` },
  { key: 'state', header: 'State', text: (row) => stateWord(textOf(row, 'sync_status')) },
  { key: 'attempts', header: 'Attempts', text: (row) => textOf(row, 'error_count') || '0', numeric: true },
  { key: 'error', header: 'Last error', text: (row) => textOf(row, 'last_error_message') },
  { key: 'updated', header: 'Last change', text: (row) => formatPlantTime(textOf(row, 'updated_at')) },
];

function FilterForm({ filter, onApply }: { filter: DeliveryFilter; onApply: (filter: DeliveryFilter) => void }) {
  const [draft, setDraft] = useState(filter);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const set = (key: keyof DeliveryFilter) => (value: string) => setDraft((current) => ({ ...current, [key]: value || undefined }));
  return (
    <form className="row" onSubmit={submit} aria-label="Filter deliveries">
      <Field label="State">
        <select value={draft.status ?? ''} onChange={(event) => set('status')(event.target.value)}>
          <option value="">Any state</option>
          {Object.entries(STATE_WORDS).map(([state, word]) => (
            <option key={state} value={state}>
              {word}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Source">
        <input value={draft.source ?? ''} onChange={(event) => set('source')(event.target.value)} />
      </Field>
      <Field label="Target">
        <input value={draft.target ?? ''} onChange={(event) => set('target')(event.target.value)} />
      </Field>
      <Field label="Record id">
        <input value={draft.entityId ?? ''} onChange={(event) => set('entityId')(event.target.value)} />
      </Field>
      <div className="field">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

/**
 * The delivery queue, filtered and paged on the server. Dead letters (failed deliveries) can be
 * sent again one by one, or all those of the filter's source and target at once.
 */
export function Deliveries({ filter, onFilter }: { filter: DeliveryFilter; onFilter: (filter: DeliveryFilter) => void }) {
  const keyset = useKeyset();
  const query = useQuery(deliveriesQuery(filter, keyset.before));
  const replayOne = useReplayOne();
  const replayAll = useReplayFiltered();
  const [said, setSaid] = useState('');
  const dead = filter.status === 'failed';
  // The action comes first, so it stays in view however wide the error text makes the table.
  const columns: Array<Column<Row>> = [
    {
      key: 'replay',
      header: 'Action',
      text: () => '',
      render: (row) =>
        textOf(row, 'sync_status') === 'failed' ? (
          <button
            type="button"
            className="secondary"
            aria-label={`Replay ${textOf(row, 'event_name')} to ${textOf(row, 'target_system')}`}
            disabled={replayOne.isPending}
            onClick={() =>
              replayOne.mutate(textOf(row, 'sync_id'), {
                onSuccess: (answer) => setSaid(`Sent again: ${answer.replayed.length} delivery.`),
              })
            }
          >
            Replay
          </button>
        ) : null,
    },
    ...baseColumns,
  ];
  const apply = (next: DeliveryFilter) => {
    keyset.reset();
    setSaid('');
    onFilter(next);
  };
  const scope =
    [filter.source && `from ${filter.source}`, filter.target && `to ${filter.target}`].filter(Boolean).join(' ') || 'of every flow';
  return (
    <>
      <FilterForm key={JSON.stringify(filter)} filter={filter} onApply={apply} />
      {dead && (
        <p>
          <button
            type="button"
            disabled={replayAll.isPending}
            onClick={() =>
              replayAll.mutate(
                { ...(filter.source ? { source: filter.source } : {}), ...(filter.target ? { target: filter.target } : {}) },
                { onSuccess: (answer) => setSaid(`Sent again: ${answer.replayed.length} dead letters.`) },
              )
            }
          >
            Replay all dead letters {scope}
          </button>
        </p>
      )}
      <p role="status">{said}</p>
      {replayOne.isError && <ErrorPanel error={replayOne.error} />}
      {replayAll.isError && <ErrorPanel error={replayAll.error} />}
      <QueryState query={query} loading="Loading deliveries…">
        {(page) => (
          <DataTable
            caption={filter.status ? `Deliveries: ${stateWord(filter.status as DeliveryState).toLowerCase()}` : 'Deliveries'}
            rows={page.items}
            columns={columns}
            rowKey={(row) => textOf(row, 'sync_id')}
            exportName="sync-deliveries"
            serverPager={<KeysetPager label="Deliveries" keyset={keyset} nextBefore={page.nextBefore} />}
            empty={dead ? 'No dead letters: every delivery went through or is still being tried.' : 'No deliveries match.'}
          />
        )}
      </QueryState>
    </>
  );
}
