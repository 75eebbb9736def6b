import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { customersQuery, segmentsQuery, type ErpSegment } from '../../api/erp-pricing';
import { can } from '../../config/access';
import { plantDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { QueryTable } from '../../ui/query-table';
import { CustomerLinks } from './customer-links';
import { ReviewQueue } from './review-queue';

const COLUMNS: ReadonlyArray<Column<ErpSegment>> = [
  { key: 'code', header: 'Code', text: (row) => row.segment_code },
  { key: 'name', header: 'Segment', text: (row) => row.segment_name },
  { key: 'type', header: 'Type', text: (row) => row.segment_type },
  {
    key: 'priority',
    header: 'Priority',
    text: (row) => String(row.priority_level),
    compare: (a, b) => a.priority_level - b.priority_level,
    numeric: true,
  },
  { key: 'discount', header: 'Discount (%)', text: (row) => row.discount_percentage, numeric: true },
  { key: 'list', header: 'Price list', text: (row) => row.default_price_list ?? '' },
  { key: 'review', header: 'Review every', text: (row) => (row.review_frequency_days ? `${row.review_frequency_days} days` : '') },
  { key: 'auto', header: 'Auto-assign', text: (row) => (row.auto_assignment_enabled ? 'On' : 'Off') },
  { key: 'active', header: 'Active', text: (row) => (row.is_active ? 'Active' : 'Inactive') },
];

export default function ErpSegmentsPage() {
  const role = useSession().user?.role;
  const manage = can(role, 'erp.manage');
  const segments = useQuery(segmentsQuery());
  const customers = useQuery(customersQuery());
  const [customer, setCustomer] = useState('');
  const today = plantDate(Date.now());
  return (
    <section aria-labelledby="erp-segments-title">
      <h2 id="erp-segments-title">Customer segments</h2>
      <QueryTable
        query={segments}
        loading="Loading segments…"
        caption="Segments"
        columns={COLUMNS}
        rowKey={(row) => row.name}
        exportName="segments"
        empty="No segments yet."
      />
      <div className="panel">
        <Field label="Customer" hint="their segment history and territories">
          <select value={customer} onChange={(event) => setCustomer(event.target.value)}>
            <option value="">Choose a customer</option>
            {(customers.data ?? []).map((row) => (
              <option key={row.name} value={row.name}>
                {row.customer_name ?? row.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {customer && <CustomerLinks key={customer} customer={customer} segments={segments.data ?? []} manage={manage} today={today} />}
      <ReviewQueue manage={manage} />
    </section>
  );
}
