import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { conflictsQuery, textOf, type ConflictStatus, type Row } from '../../api/sync';
import { formatPlantTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { QueryState } from '../../ui/query-state';
import { ConflictDetail } from './conflict-detail';
import { KeysetPager, useKeyset } from './keyset';
import { CONFLICT_WORDS, conflictWord } from './words';

const columns: Array<Column<Row>> = [
  { key: 'record', header: 'Record', text: (row) => `${textOf(row, 'entity_type')} ${textOf(row, 'entity_id')}` },
  { key: 'status', header: 'Status', text: (row) => conflictWord(textOf(row, 'resolution_status')) },
  { key: 'severity', header: 'Severity', text: (row) => textOf(row, 'conflict_severity') },
  {
    key: 'impact',
    header: 'Affects',
    text: (row) =>
      [row.affects_customer && 'customers', row.affects_inventory && 'stock', row.affects_financials && 'money']
        .filter(Boolean)
        .join(', ') || '–',
  },
  { key: 'detected', header: 'Detected', text: (row) => formatPlantTime(textOf(row, 'detected_at')) },
];

/** Conflicts by status, paged on the server; opening one shows its values side by side and how to settle it. */
export function Conflicts() {
  const [status, setStatus] = useState<ConflictStatus>('pending');
  const [open, setOpen] = useState<string | undefined>();
  const statusId = useId();
  const keyset = useKeyset();
  const query = useQuery(conflictsQuery(status, keyset.before));
  return (
    <>
      <div className="field">
        <label htmlFor={statusId}>Show</label>
        <select
          id={statusId}
          value={status}
          onChange={(event) => {
            keyset.reset();
            setStatus(event.target.value as ConflictStatus);
          }}
        >
          {Object.entries(CONFLICT_WORDS).map(([value, word]) => (
            <option key={value} value={value}>
              {word}
            </option>
          ))}
        </select>
      </div>
      <QueryState query={query} loading="Loading conflicts…">
        {(page) => (
          <DataTable
            caption="Conflicts"
            rows={page.items}
            columns={columns}
            rowKey={(row) => textOf(row, 'conflict_id')}
            exportName="sync-conflicts"
            selected={open}
            onSelect={(row) => setOpen(textOf(row, 'conflict_id'))}
            serverPager={<KeysetPager label="Conflicts" keyset={keyset} nextBefore={page.nextBefore} />}
            empty="No conflicts with this status."
          />
        )}
      </QueryState>
      {open && <ConflictDetail key={open} conflictId={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
