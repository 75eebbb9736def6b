import { columnSetFaults } from './column-sets.js';
import { fault, type FaultEntry } from './faults.js';
import type { SourceRow } from './source.js';
import { stepOf, type Mapped, type Step, type StepContext, type TargetInsert } from './step.js';
import { day, decimal, flag, instant, integer, originalRow, pick, required, standardColumns, text } from './values.js';

const insert = (table: string, values: Record<string, unknown>): TargetInsert => ({
  table,
  keyColumn: 'name',
  key: String(values.name),
  values,
});

/** Checks a row's parents; a missing one holds the row back with the reason. */
export async function missingParents(
  context: StepContext,
  table: string,
  row: SourceRow,
  parents: [column: string, parentTable: string][],
): Promise<FaultEntry | undefined> {
  const missing: Record<string, unknown> = {};
  for (const [column, parentTable] of parents) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    if (!(await context.parentKeys('erp', parentTable, 'name')).has(String(value))) missing[column] = value;
  }
  if (Object.keys(missing).length === 0) return undefined;
  return fault(table, String(row.name), 'MISSING_PARENT', { missing, original: originalRow(row) });
}

/** Reports a value the mapping had to supply (the original left a required field empty). */
type Note = (column: string, detail: Record<string, unknown>) => void;

/** Maps each row, holding back those whose parents are missing. */
function simpleStep(table: string, parents: [string, string][], toValues: (row: SourceRow, note: Note) => Record<string, unknown>): Step {
  return {
    ...stepOf('erp', table, 'name'),
    tableFaults: (source) => columnSetFaults(source, table),
    async map(rows, context): Promise<Mapped> {
      const mapped: Mapped = { inserts: [], faults: [] };
      for (const row of rows) {
        const orphan = await missingParents(context, table, row, parents);
        if (orphan) {
          mapped.faults.push(orphan);
          continue;
        }
        const note: Note = (column, detail) =>
          mapped.faults.push(fault(table, String(row.name), 'REQUIRED_VALUE_MISSING', { column, ...detail }));
        mapped.inserts.push(insert(table, { ...standardColumns(row), ...toValues(row, note) }));
      }
      return mapped;
    },
  };
}

export const itemStep = simpleStep('tabItem', [], (row) => ({
  item_code: required(row.item_code, String(row.name)),
  item_name: text(row.item_name),
  item_group: text(row.item_group),
  brand: text(row.brand),
  stock_uom: text(row.stock_uom),
  standard_rate: decimal(row.standard_rate),
  has_batch_no: flag(row.has_batch_no, 1),
  disabled: flag(row.disabled),
}));

export const warehouseStep = simpleStep('tabWarehouse', [], (row) => ({
  warehouse_name: required(row.warehouse_name, String(row.name)),
  is_group: flag(row.is_group),
  disabled: flag(row.disabled),
}));

export const customerStep = simpleStep('tabCustomer', [], (row) => ({
  customer_name: required(row.customer_name, String(row.name)),
  customer_group: text(row.customer_group),
  territory: text(row.territory),
  customer_type: text(row.customer_type),
  disabled: flag(row.disabled),
  credit_limit: decimal(row.credit_limit),
  payment_terms: text(row.payment_terms),
}));

export const segmentStep = simpleStep('tabHD Customer Segment', [], (row) => ({
  segment_code: required(row.segment_code, String(row.name)),
  segment_name: required(row.segment_name, String(row.name)),
  segment_description: text(pick(row, 'segment_description', 'description')),
  segment_type: required(row.segment_type, 'Custom'),
  priority_level: integer(pick(row, 'priority_level', 'priority'), 3),
  // The doctype keeps a status instead of the flag; only Active segments take part.
  is_active: row.status !== undefined ? (row.status === 'Active' ? 1 : 0) : flag(row.is_active, 1),
  default_price_list: text(row.default_price_list),
  discount_percentage: decimal(row.discount_percentage),
  minimum_order_amount: decimal(pick(row, 'minimum_order_amount', 'min_order_value', 'minimum_order_value')),
  credit_limit_multiplier: decimal(row.credit_limit_multiplier, '1'),
  payment_terms: text(row.payment_terms),
  territory: text(pick(row, 'territory', 'geographic_restriction')),
  customer_group: text(row.customer_group),
  auto_assignment_enabled: flag(row.auto_assignment_enabled),
  auto_assignment_rules: text(row.auto_assignment_rules),
  segment_notes: text(row.segment_notes),
}));

export const assignmentStep = simpleStep(
  'tabHD Customer Segment Assignment',
  [
    ['customer', 'tabCustomer'],
    ['customer_segment', 'tabHD Customer Segment'],
  ],
  (row, note) => ({
    customer: String(row.customer),
    customer_segment: String(row.customer_segment),
    assignment_date: day(row.assignment_date),
    effective_from: day(row.effective_from) ?? fromAssignmentDate(row, note),
    effective_to: day(row.effective_to),
    is_primary: flag(row.is_primary),
    assignment_type: required(pick(row, 'assignment_type', 'assignment_method'), 'Manual'),
    assignment_reason: text(row.assignment_reason),
    assigned_by: text(row.assigned_by),
    status: required(row.status, 'Active'),
  }),
);

// The doctype and knex sets do not require effective_from; Tributary does, and the assignment took effect when made.
function fromAssignmentDate(row: SourceRow, note: Note): string | null {
  note('effective_from', { taken_from: 'assignment_date', value: day(row.assignment_date) });
  return day(row.assignment_date);
}

// The doctype's valid_from is optional (a rule valid from its creation); Tributary's is required.
function fromCreation(row: SourceRow, note: Note): Date | null {
  note('valid_from', { taken_from: 'creation', value: instant(row.creation)?.toISOString() });
  return instant(row.creation);
}

export const pricingRuleStep = simpleStep('tabHD Dynamic Pricing Rule', [], (row, note) => ({
  rule_code: required(row.rule_code, String(row.name)),
  rule_name: required(row.rule_name, String(row.name)),
  rule_description: text(row.rule_description),
  rule_type: required(row.rule_type, 'Promotional'),
  priority: integer(row.priority, 1),
  valid_from: instant(row.valid_from) ?? fromCreation(row, note),
  valid_to: instant(row.valid_to),
  is_active: flag(row.is_active, 1),
  rule_status: required(pick(row, 'rule_status', 'status'), 'Active'),
  apply_on: required(row.apply_on, 'Item Code'),
  apply_on_value: text(row.apply_on_value),
  applicable_for: required(row.applicable_for, 'All Customers'),
  min_qty: decimal(row.min_qty),
  max_qty: decimal(row.max_qty, null),
  min_amount: decimal(row.min_amount),
  max_amount: decimal(row.max_amount, null),
  for_price_list: text(pick(row, 'for_price_list', 'selling_price_list')),
  warehouse: text(row.warehouse),
  day_of_week: text(pick(row, 'day_of_week', 'applicable_days')),
  time_from: text(pick(row, 'time_from', 'start_time')),
  time_to: text(pick(row, 'time_to', 'end_time')),
  seasonal_applicable: flag(row.seasonal_applicable),
  festival_applicable: flag(row.festival_applicable),
  rate_or_discount: required(row.rate_or_discount, 'Discount Percentage'),
  rate: decimal(row.rate),
  discount_percentage: decimal(row.discount_percentage),
  discount_amount: decimal(row.discount_amount),
  max_discount_amount: decimal(row.max_discount_amount, null),
  round_to_nearest: decimal(row.round_to_nearest, null),
  requires_coupon: flag(row.requires_coupon),
  coupon_code: text(row.coupon_code),
  usage_limit: integer(row.usage_limit, null),
  used_count: integer(pick(row, 'used_count', 'usage_count')),
}));

const child = (row: SourceRow, parentfield: string) => ({
  parent: String(row.parent),
  parentfield: required(row.parentfield, parentfield),
  parenttype: 'HD Dynamic Pricing Rule',
});

export const pricingRuleItemStep = simpleStep('tabHD Pricing Rule Item', [['parent', 'tabHD Dynamic Pricing Rule']], (row) => ({
  ...child(row, 'items'),
  item_code: String(row.item_code),
  item_name: text(row.item_name),
  item_group: text(row.item_group),
  brand: text(row.brand),
  uom: text(row.uom),
}));

export const volumeSlabStep = simpleStep('tabHD Volume Discount Slab', [['parent', 'tabHD Dynamic Pricing Rule']], (row) => {
  const min = decimal(row.min_quantity) ?? '0';
  const max = decimal(row.max_quantity, null);
  return {
    ...child(row, 'volume_slabs'),
    slab_name: text(row.slab_name) ?? (max ? `${min}-${max} units` : `${min}+ units`),
    min_quantity: min,
    max_quantity: max,
    discount_type: required(row.discount_type, 'Percentage'),
    discount_percentage: decimal(row.discount_percentage),
    discount_amount: decimal(row.discount_amount),
    discounted_rate: decimal(row.discounted_rate),
    sort_order: integer(row.sort_order, null) ?? Math.round(Number(min)),
  };
});
