import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { batchQuery, LEDGER_PAGE, ledgerQuery, type Movement } from '../../api/erp-batches';
import { dayFirst, formatPlantTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { Pager } from '../../ui/pager';
import { QueryState } from '../../ui/query-state';
import { actionFor, plainQty } from './buckets';

const MOVEMENT_COLUMNS: ReadonlyArray<Column<Movement>> = [
  { key: 'seq', header: '#', text: (move) => String(move.seq), numeric: true },
  { key: 'when', header: 'When (Colombo)', text: (move) => formatPlantTime(move.movement_date) },
  { key: 'type', header: 'Movement', text: (move) => move.movement_type },
  { key: 'change', header: 'Change', text: (move) => plainQty(move.qty_change), numeric: true },
  { key: 'after', header: 'Balance', text: (move) => plainQty(move.qty_after), numeric: true },
  { key: 'reference', header: 'Reference', text: (move) => [move.reference_doctype, move.reference_name].filter(Boolean).join(' ') },
  { key: 'reason', header: 'Reason', text: (move) => move.reason ?? '' },
  { key: 'operator', header: 'By', text: (move) => move.operator ?? '' },
];

/** One batch: its facts and its ledger, read from the server a page at a time. */
export function BatchLedger({ name }: { name: string }) {
  const batch = useQuery(batchQuery(name));
  const [offset, setOffset] = useState(0);
  const ledger = useQuery(ledgerQuery(name, offset));
  return (
    <section className="panel" aria-labelledby="batch-title">
      <h3 id="batch-title">Batch {name}</h3>
      <QueryState query={batch} loading="Loading the batch…">
        {(found) => (
          <dl className="gatepass-facts">
            <dt>Item</dt>
            <dd>{found.item_name ? `${found.item_name} (${found.item})` : found.item}</dd>
            <dt>Warehouse</dt>
            <dd>{found.warehouse}</dd>
            <dt>Expires (last valid day)</dt>
            <dd>
              {dayFirst(found.expiry_date)}: {found.alert_level}, {found.days_to_expiry} days
            </dd>
            <dt>Status</dt>
            <dd>{found.status}</dd>
            <dt>Available</dt>
            <dd>
              {plainQty(found.available_qty)} of {plainQty(found.total_qty)} units
            </dd>
            <dt>Suggested action</dt>
            <dd>{actionFor(found.alert_level)}</dd>
          </dl>
        )}
      </QueryState>
      <h4>Ledger</h4>
      <QueryState query={ledger} loading="Loading the ledger…">
        {(page) => (
          <DataTable
            caption={`Movements ${offset + 1}–${offset + page.data.length}`}
            rows={page.data}
            columns={MOVEMENT_COLUMNS}
            rowKey={(move) => move.name}
            exportName={`ledger-${name}-${offset / LEDGER_PAGE + 1}`}
            serverPager={
              <Pager
                label="Ledger pages"
                words={['Earlier page', 'Later page']}
                onBack={offset > 0 ? () => setOffset(Math.max(0, offset - LEDGER_PAGE)) : undefined}
                onForward={page.hasMore ? () => setOffset(offset + LEDGER_PAGE) : undefined}
              />
            }
            empty="No movements yet."
          />
        )}
      </QueryState>
    </section>
  );
}
