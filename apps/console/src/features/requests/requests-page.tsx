import { useQuery } from '@tanstack/react-query';
import { requestsQuery, type OrderRequest } from '../../api/orders';
import { can } from '../../config/access';
import { statusLabel } from '../../config/statuses';
import { useSession } from '../../lib/session';
import { DataTable, type Column } from '../../ui/data-table';
import { kgColumn } from '../../ui/kg-column';
import { QueryState } from '../../ui/query-state';
import { ApprovalInbox } from './approval-inbox';
import { NewRequestForm } from './new-request-form';

const COLUMNS: ReadonlyArray<Column<OrderRequest>> = [
  {
    key: 'request',
    header: 'Request',
    text: (request) => String(request.request_code),
    compare: (a, b) => a.request_code - b.request_code,
    numeric: true,
  },
  { key: 'order', header: 'Order', text: (request) => request.order_code },
  { key: 'product', header: 'Product', text: (request) => request.product_name },
  kgColumn('requirement', 'Quantity', (request) => request.requirement),
  {
    key: 'status',
    header: 'Shipments',
    text: (request) => request.shipments.map((shipment) => `${shipment.shipment_code}: ${statusLabel(shipment.status)}`).join('; '),
  },
  { key: 'comments', header: 'Note', text: (request) => request.comments ?? '' },
];

export default function RequestsPage() {
  const role = useSession().user?.role;
  const query = useQuery(requestsQuery());
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">Order requests</h2>
      {can(role, 'requests.create') && <NewRequestForm />}
      <QueryState query={query} loading="Loading requests…">
        {(requests) => (
          <>
            {can(role, 'requests.approve') && <ApprovalInbox requests={requests} />}
            <DataTable
              caption="Requests"
              rows={requests}
              columns={COLUMNS}
              rowKey={(request) => String(request.request_code)}
              exportName="order-requests"
              empty="No requests yet."
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
