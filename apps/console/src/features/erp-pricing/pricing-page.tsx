import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { rulesQuery, type PricingRule } from '../../api/erp-pricing';
import { can } from '../../config/access';
import { dayFirst, plantDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { QueryTable } from '../../ui/query-table';
import { QuoteSimulator } from './quote-simulator';
import { RuleEditor } from './rule-editor';

function valueOf(rule: PricingRule): string {
  if (rule.tier_mode) return `${rule.slabs.length} slabs (${rule.tier_mode})`;
  if (rule.price_or_product_discount === 'Product') return `free ${rule.free_qty} × ${rule.free_item ?? ''}`;
  if (rule.rate_or_discount === 'Rate') return `rate ${rule.rate}`;
  if (rule.rate_or_discount === 'Discount Amount') return `${rule.discount_amount} off a unit`;
  return `${rule.discount_percentage}% off`;
}

const day = (instant: string | null) => (instant ? dayFirst(plantDate(new Date(instant))) : '');

const COLUMNS: ReadonlyArray<Column<PricingRule>> = [
  { key: 'code', header: 'Rule', text: (rule) => rule.rule_code },
  { key: 'name', header: 'Name', text: (rule) => rule.rule_name },
  { key: 'priority', header: 'Priority', text: (rule) => String(rule.priority), compare: (a, b) => a.priority - b.priority, numeric: true },
  { key: 'type', header: 'Type', text: (rule) => rule.rule_type },
  {
    key: 'on',
    header: 'On',
    text: (rule) => (rule.apply_on === 'Item Code' ? rule.items.join(', ') : `${rule.apply_on} ${rule.apply_on_value ?? ''}`.trim()),
  },
  { key: 'for', header: 'For', text: (rule) => `${rule.applicable_for} ${rule.applicable_for_value ?? ''}`.trim() },
  { key: 'value', header: 'Gives', text: valueOf },
  { key: 'stacking', header: 'Stacking', text: (rule) => rule.stacking },
  { key: 'valid', header: 'Valid', text: (rule) => `${day(rule.valid_from)} – ${day(rule.valid_to) || 'open'}` },
  { key: 'status', header: 'Status', text: (rule) => (rule.is_active ? rule.rule_status : 'Inactive') },
];

export default function ErpPricingPage() {
  const role = useSession().user?.role;
  const rules = useQuery(rulesQuery());
  const [selected, setSelected] = useState('');
  const rule = rules.data?.find((candidate) => candidate.name === selected);
  return (
    <section aria-labelledby="erp-pricing-title">
      <h2 id="erp-pricing-title">Pricing rules</h2>
      <p className="muted">
        Higher priority wins; among equals the narrower rule (item before group, customer before segment) comes first.
      </p>
      <QueryTable
        query={rules}
        loading="Loading pricing rules…"
        caption="Pricing rules"
        columns={COLUMNS}
        rowKey={(candidate) => candidate.name}
        exportName="pricing-rules"
        empty="No pricing rules yet."
        selected={selected}
        onSelect={(candidate) => setSelected(candidate.name)}
      />
      {rule && can(role, 'erp.manage') && <RuleEditor key={rule.name} rule={rule} />}
      <QuoteSimulator />
    </section>
  );
}
