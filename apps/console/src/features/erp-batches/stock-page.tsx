import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { optimisationQuery, type Optimisation } from '../../api/erp-batches';
import { can } from '../../config/access';
import { formatPlantTime } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { QueryTable } from '../../ui/query-table';
import { OptimiseForm } from './optimise-form';
import { ReorderExplained } from './reorder-explained';

const COLUMNS: ReadonlyArray<Column<Optimisation>> = [
  { key: 'item', header: 'Item', text: (row) => row.item_code },
  { key: 'warehouse', header: 'Warehouse', text: (row) => row.warehouse },
  { key: 'demand', header: 'Daily demand', text: (row) => row.avg_daily_consumption, numeric: true },
  { key: 'safety', header: 'Safety stock', text: (row) => row.safety_stock, numeric: true },
  { key: 'reorder', header: 'Reorder point', text: (row) => row.reorder_level, numeric: true },
  { key: 'qty', header: 'Reorder quantity', text: (row) => row.reorder_qty, numeric: true },
  { key: 'max', header: 'Most to hold', text: (row) => row.max_stock_level, numeric: true },
  { key: 'when', header: 'Worked out (Colombo)', text: (row) => formatPlantTime(row.computed_at) },
];

const keyOf = (row: Optimisation) => `${row.item_code}@${row.warehouse}`;

export default function ErpStockPage() {
  const role = useSession().user?.role;
  const rows = useQuery(optimisationQuery());
  const [selected, setSelected] = useState('');
  const row = rows.data?.find((candidate) => keyOf(candidate) === selected);
  return (
    <section aria-labelledby="erp-stock-title">
      <h2 id="erp-stock-title">Reorder points and safety stock</h2>
      {can(role, 'erp.manage') && <OptimiseForm onDone={(done) => setSelected(keyOf(done))} />}
      <QueryTable
        query={rows}
        loading="Loading reorder figures…"
        caption="Item and warehouse"
        columns={COLUMNS}
        rowKey={keyOf}
        exportName="reorder-figures"
        empty="No reorder figures have been worked out yet."
        selected={selected}
        onSelect={(candidate) => setSelected(keyOf(candidate))}
      />
      {row && <ReorderExplained row={row} />}
    </section>
  );
}
