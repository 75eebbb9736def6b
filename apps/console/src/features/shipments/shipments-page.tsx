import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { requestsQuery, shipmentKey, shipmentRows, type ShipmentRow } from '../../api/orders';
import { statusLabel } from '../../config/statuses';
import { formatPlantTime } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { kgColumn } from '../../ui/kg-column';
import { QueryTable } from '../../ui/query-table';
import { ShipmentDetail } from './shipment-detail';

const COLUMNS: ReadonlyArray<Column<ShipmentRow>> = [
  {
    key: 'shipment',
    header: 'Shipment',
    text: (row) => `${row.request_code}/${row.shipment_code}`,
    compare: (a, b) => a.request_code - b.request_code || a.shipment_code - b.shipment_code,
  },
  { key: 'order', header: 'Order', text: (row) => row.order_code },
  { key: 'product', header: 'Product', text: (row) => row.product_name },
  kgColumn('quantity', 'Quantity', (row) => row.quantity),
  kgColumn('allocated', 'Bags allocated', (row) => row.allocated),
  {
    key: 'status',
    header: 'Status',
    text: (row) => statusLabel(row.status),
    render: (row) => <span className="status">{statusLabel(row.status)}</span>,
  },
  { key: 'updated', header: 'Last change', text: (row) => formatPlantTime(row.updated), compare: (a, b) => a.updated - b.updated },
];

export default function ShipmentsPage() {
  const query = useQuery({ ...requestsQuery(), select: shipmentRows });
  const [selected, setSelected] = useState<string>();
  const current = query.data?.find((row) => shipmentKey(row) === selected);
  return (
    <section aria-labelledby="shipments-title">
      <h2 id="shipments-title">Shipments</h2>
      <QueryTable
        query={query}
        loading="Loading shipments…"
        caption="Shipments"
        columns={COLUMNS}
        rowKey={shipmentKey}
        exportName="shipments"
        selected={selected}
        onSelect={(row) => setSelected(shipmentKey(row))}
        empty="No shipments yet. They appear when a Grandpass officer requests material against a plan."
      />
      {current && <ShipmentDetail shipment={current} />}
    </section>
  );
}
