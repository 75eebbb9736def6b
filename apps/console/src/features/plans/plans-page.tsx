import { useQuery } from '@tanstack/react-query';
import { plansQuery, type Plan } from '../../api/orders';
import { can } from '../../config/access';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { kgColumn } from '../../ui/kg-column';
import { QueryTable } from '../../ui/query-table';
import { PlanUpload } from './plan-upload';

const COLUMNS: ReadonlyArray<Column<Plan>> = [
  { key: 'order', header: 'Order', text: (plan) => plan.order_code },
  { key: 'product', header: 'Product', text: (plan) => plan.product_name },
  { key: 'item', header: 'Blend', text: (plan) => plan.item_code },
  kgColumn('requirement', 'Requirement', (plan) => plan.requirement),
  kgColumn('allowed', 'Still to request', (plan) => plan.allowed),
  { key: 'start', header: 'From', text: (plan) => plan.plan_start },
  { key: 'end', header: 'To', text: (plan) => plan.plan_end },
  { key: 'requests', header: 'Requests', text: (plan) => String(plan.requests.length), numeric: true },
];

export default function PlansPage() {
  const role = useSession().user?.role;
  const query = useQuery(plansQuery());
  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">Production plans</h2>
      {can(role, 'plans.upload') && <PlanUpload />}
      <QueryTable
        query={query}
        loading="Loading plans…"
        caption="Plans"
        columns={COLUMNS}
        rowKey={(plan) => plan.order_code}
        exportName="plans"
        empty="No plans yet. A Grandpass administrator uploads the Excel plan."
      />
    </section>
  );
}
