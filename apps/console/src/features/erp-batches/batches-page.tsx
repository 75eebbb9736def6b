import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { expiryBoardQuery, type ExpiringBatch } from '../../api/erp-batches';
import { can } from '../../config/access';
import { dayFirst } from '../../lib/format';
import { useSession } from '../../lib/session';
import { DataTable, type Column } from '../../ui/data-table';
import { QueryState } from '../../ui/query-state';
import { BatchLedger } from './batch-ledger';
import { actionFor, bucketTotals, plainQty, type Level } from './buckets';
import { ExpiryBoard } from './expiry-board';
import { PickPreview } from './pick-preview';

const COLUMNS: ReadonlyArray<Column<ExpiringBatch>> = [
  { key: 'batch', header: 'Batch', text: (batch) => batch.name },
  { key: 'item', header: 'Item', text: (batch) => batch.item },
  { key: 'warehouse', header: 'Warehouse', text: (batch) => batch.warehouse },
  {
    key: 'expiry',
    header: 'Last valid day',
    text: (batch) => dayFirst(batch.expiry_date),
    compare: (a, b) => a.expiry_date.localeCompare(b.expiry_date),
  },
  {
    key: 'days',
    header: 'Days left',
    text: (batch) => String(batch.days_to_expiry),
    compare: (a, b) => a.days_to_expiry - b.days_to_expiry,
    numeric: true,
  },
  { key: 'level', header: 'Bucket', text: (batch) => batch.alert_level },
  {
    key: 'qty',
    header: 'Available',
    text: (batch) => plainQty(batch.available_qty),
    compare: (a, b) => Number(a.available_qty) - Number(b.available_qty),
    numeric: true,
  },
  { key: 'value', header: 'Value at risk', text: (batch) => batch.potential_loss_value, numeric: true },
  { key: 'action', header: 'Suggested action', text: (batch) => actionFor(batch.alert_level) },
];

export default function ErpBatchesPage() {
  const role = useSession().user?.role;
  const board = useQuery(expiryBoardQuery());
  const [bucket, setBucket] = useState<Level>();
  const [batch, setBatch] = useState('');
  const totals = useMemo(() => bucketTotals(board.data ?? []), [board.data]);
  return (
    <section aria-labelledby="erp-batches-title">
      <h2 id="erp-batches-title">Batches and expiry</h2>
      <p className="muted">
        Stocked batches only. Days are counted on the plant's calendar (Asia/Colombo); the expiry date is the last day a batch may be sold.
      </p>
      <QueryState query={board} loading="Loading the expiry board…">
        {(batches) => (
          <>
            <ExpiryBoard
              totals={totals}
              selected={bucket}
              onSelect={(level) => {
                setBucket(level);
                setBatch('');
              }}
            />
            <DataTable
              caption={bucket ? `${bucket} batches` : 'Stocked batches'}
              rows={bucket ? batches.filter((row) => row.alert_level === bucket) : batches}
              columns={COLUMNS}
              rowKey={(row) => row.name}
              exportName={`batches-${bucket ?? 'all'}`}
              empty={bucket ? `No stocked batch is ${bucket.toLowerCase()}.` : 'No batch has stock.'}
              selected={batch}
              onSelect={(row) => setBatch(row.name)}
            />
          </>
        )}
      </QueryState>
      {batch && <BatchLedger key={batch} name={batch} />}
      {can(role, 'erp.manage') && <PickPreview />}
    </section>
  );
}
