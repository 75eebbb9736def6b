import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely types of the ERP tables. Frappe conventions: `name` is the primary key, every table
 * has the standard columns, child tables add parent/parentfield/parenttype. DECIMAL columns
 * travel as strings, DATE columns are written as 'YYYY-MM-DD' and read through `isoDate`,
 * DATETIME columns are written and read as Date (UTC).
 */
type Dec = ColumnType<string, string, string>;
type DecDefault = ColumnType<string, string | undefined, string>;
type DateCol = ColumnType<Date | string, string, string>;
type Flag = ColumnType<number, number | undefined, number>;
type Num = ColumnType<number, number | undefined, number>;

export interface Std {
  name: string;
  creation: Date;
  modified: Date;
  modified_by: string | null;
  owner: string | null;
  docstatus: Num;
  idx: Num;
}
export interface Child {
  parent: string;
  parentfield: string;
  parenttype: string;
}

export interface CustomerTable extends Std {
  customer_name: string;
  customer_group: string | null;
  territory: string | null;
  customer_type: string | null;
  disabled: Flag;
  credit_limit: DecDefault;
  payment_terms: string | null;
  /** Encrypted (`enc:v1:…`); read and written through features/masters/customer-pii.ts. */
  email_id: ColumnType<string | null, string | null | undefined, string | null>;
  email_id_bidx: ColumnType<string | null, string | null | undefined, string | null>;
  mobile_no: ColumnType<string | null, string | null | undefined, string | null>;
  primary_address: ColumnType<string | null, string | null | undefined, string | null>;
  tax_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface ItemTable extends Std {
  item_code: string;
  item_name: string | null;
  item_group: string | null;
  brand: string | null;
  stock_uom: string | null;
  standard_rate: DecDefault;
  has_batch_no: Flag;
  disabled: Flag;
}
export interface WarehouseTable extends Std {
  warehouse_name: string;
  is_group: Flag;
  disabled: Flag;
}

export interface SegmentTable extends Std {
  segment_code: string;
  segment_name: string;
  segment_description: string | null;
  segment_type: string;
  priority_level: Num;
  is_active: Flag;
  default_price_list: string | null;
  discount_percentage: DecDefault;
  minimum_order_amount: DecDefault;
  credit_limit_multiplier: DecDefault;
  payment_terms: string | null;
  territory: string | null;
  customer_group: string | null;
  special_pricing_enabled: Flag;
  min_annual_purchase: Dec | null;
  auto_assignment_enabled: Flag;
  auto_assignment_rules: string | null;
  escalation_segment: string | null;
  demotion_segment: string | null;
  review_frequency_days: number | null;
  segment_notes: string | null;
}
export interface AssignmentTable extends Std {
  customer: string;
  customer_segment: string;
  assignment_date: DateCol;
  effective_from: DateCol;
  effective_to: DateCol | null;
  is_primary: Flag;
  assignment_type: string;
  assignment_reason: string | null;
  assigned_by: string | null;
  status: string;
  review_date: DateCol | null;
  discount_percentage_applied: Dec | null;
  credit_limit_at_assignment: Dec | null;
  annual_purchase_at_assignment: Dec | null;
  superseded_by: string | null;
  assignment_notes: string | null;
}
export interface TerritoryMappingTable extends Std {
  customer: string;
  territory: string;
  is_primary: Flag;
  effective_from: DateCol;
  effective_to: DateCol | null;
  mapping_reason: string | null;
  delivery_preference: string | null;
  sales_person: string | null;
  delivery_cost_factor: DecDefault;
  service_level: string | null;
}
export interface CustomerMetricsTable extends Std {
  customer: string;
  annual_purchase: DecDefault;
  total_orders: Num;
  last_order_date: DateCol | null;
}

export interface BatchTable extends Std {
  batch_id: string;
  item: string;
  item_name: string | null;
  warehouse: string;
  supplier: string | null;
  supplier_batch_id: string | null;
  manufacturing_date: DateCol;
  expiry_date: DateCol;
  best_before_date: DateCol | null;
  production_line: string | null;
  production_shift: string | null;
  quality_grade: string;
  total_qty: DecDefault;
  available_qty: DecDefault;
  reserved_qty: DecDefault;
  sold_qty: DecDefault;
  damaged_qty: DecDefault;
  expired_qty: DecDefault;
  unit_cost: DecDefault;
  sugar_content_percentage: Dec | null;
  fat_content_percentage: Dec | null;
  moisture_content_percentage: Dec | null;
  storage_temperature_min: Dec | null;
  storage_temperature_max: Dec | null;
  storage_humidity_max: Dec | null;
  quality_tested: Flag;
  quality_test_date: DateCol | null;
  quality_notes: string | null;
  allergen_info: string | null;
  nutritional_info: string | null;
  status: string;
  batch_notes: string | null;
  is_active: Flag;
  source_batch: string | null;
  last_alert_level: string | null;
  movement_seq: Num;
}
export interface MovementTable extends Std {
  batch_id: string;
  seq: number;
  movement_type: string;
  movement_date: Date;
  item_code: string;
  warehouse: string;
  reference_doctype: string | null;
  reference_name: string | null;
  qty_before: Dec;
  qty_change: Dec;
  qty_after: Dec;
  from_warehouse: string | null;
  to_warehouse: string | null;
  reason: string | null;
  notes: string | null;
  operator: string | null;
  reverses_movement: string | null;
}
export interface OptimisationTable extends Std {
  item_code: string;
  warehouse: string;
  reorder_level: DecDefault;
  reorder_qty: DecDefault;
  max_stock_level: DecDefault;
  safety_stock: DecDefault;
  avg_daily_consumption: DecDefault;
  demand_std_dev: DecDefault;
  lead_time_days: Num;
  seasonal_factor: DecDefault;
  holding_cost_percentage: DecDefault;
  ordering_cost: DecDefault;
  service_level_target: DecDefault;
  lookback_days: Num;
  computed_at: Date | null;
}

export interface PricingRuleTable extends Std {
  rule_code: string;
  rule_name: string;
  rule_description: string | null;
  rule_type: string;
  priority: Num;
  valid_from: Date;
  valid_to: Date | null;
  is_active: Flag;
  rule_status: string;
  apply_on: string;
  apply_on_value: string | null;
  applicable_for: string;
  applicable_for_value: string | null;
  min_qty: DecDefault;
  max_qty: Dec | null;
  min_amount: DecDefault;
  max_amount: Dec | null;
  for_price_list: string | null;
  warehouse: string | null;
  day_of_week: string | null;
  time_from: string | null;
  time_to: string | null;
  seasonal_applicable: Flag;
  season_start: string | null;
  season_end: string | null;
  festival_applicable: Flag;
  festival_name: string | null;
  festival_from: DateCol | null;
  festival_to: DateCol | null;
  rate_or_discount: string;
  rate: DecDefault;
  discount_percentage: DecDefault;
  discount_amount: DecDefault;
  tier_mode: string | null;
  stacking: string;
  max_discount_amount: Dec | null;
  round_to_nearest: Dec | null;
  requires_coupon: Flag;
  coupon_code: string | null;
  usage_limit: number | null;
  used_count: Num;
  version: Num;
  margin_type: string | null;
  margin_rate_or_amount: DecDefault;
  price_or_product_discount: ColumnType<string, string | undefined, string>;
  free_item: string | null;
  free_qty: DecDefault;
  is_recursive: Flag;
  recurse_for: DecDefault;
  apply_recursion_over: DecDefault;
  round_free_qty: Flag;
  uom: string | null;
  currency: string | null;
  apply_rule_on_other: string | null;
  other_item_code: string | null;
  other_item_group: string | null;
  apply_multiple_pricing_rules: Flag;
}
export interface PricingRuleItemTable extends Std, Child {
  item_code: string;
  item_name: string | null;
  item_group: string | null;
  brand: string | null;
  uom: string | null;
}
export interface SlabTable extends Std, Child {
  slab_name: string;
  min_quantity: Dec;
  max_quantity: Dec | null;
  discount_type: string;
  discount_percentage: DecDefault;
  discount_amount: DecDefault;
  discounted_rate: DecDefault;
  sort_order: Num;
}
export interface ApplicationTable extends Std {
  pricing_rule: string;
  applied_on_doctype: string;
  applied_on_name: string;
  application_date: Date;
  customer: string | null;
  item_code: string | null;
  line_no: number;
  qty: Dec;
  rate: Dec;
  original_rate: Dec;
  discount_amount: Dec;
  total_amount: Dec;
  validation_status: string;
  validation_notes: string | null;
  applied_by: string | null;
  coupon_code: string | null;
  price_snapshot: string;
}

export interface OrderTable extends Std {
  customer: string;
  customer_segment: string | null;
  status: string;
  order_date: Date;
  reference: string | null;
  line_count: number;
  total_before_discount: Dec;
  total_discount: Dec;
  total_after_discount: Dec;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}
export interface OrderItemTable extends Std, Child {
  line_no: number;
  item_code: string;
  warehouse: string;
  uom: string | null;
  qty: Dec;
  base_rate: Dec;
  base_amount: Dec;
  discount_amount: Dec;
  discount_percentage: Dec;
  final_rate: Dec;
  final_amount: Dec;
  /** Stock units per unit of `uom` at processing time, and the quantity in stock units it reserved. */
  conversion_factor: DecDefault;
  stock_qty: string | null;
  /** JSON: the rules applied to the line, in precedence order. */
  pricing_rules: string;
}
export interface OrderReservationTable extends Std, Child {
  line_no: number;
  batch_id: string;
  qty: Dec;
  expiry_date: DateCol;
  movement: string;
  release_movement: string | null;
}
/** ERPNext's `uoms` table of an item: one `uom` is `conversion_factor` stock units. */
export interface UomConversionTable extends Std, Child {
  uom: string;
  conversion_factor: Dec;
}
/** Where a batch's ledger starts once retention dropped its oldest movements: the last dropped seq and balance. */
export interface LedgerOpeningTable {
  batch_id: string;
  seq: number;
  balance: Dec;
  through: Date;
}
/** Ledger balance per item and warehouse, kept by every movement; `below_reorder` remembers the last crossing. */
export interface StockLevelTable {
  item_code: string;
  warehouse: string;
  actual_qty: Dec;
  below_reorder: Flag;
  crossed_at: Date | null;
}

export const T = {
  customer: 'tabCustomer',
  item: 'tabItem',
  warehouse: 'tabWarehouse',
  segment: 'tabHD Customer Segment',
  assignment: 'tabHD Customer Segment Assignment',
  territory: 'tabHD Customer Territory Mapping',
  metrics: 'tabHD Customer Metrics',
  batch: 'tabHD Batch Master',
  movement: 'tabHD Batch Movement',
  optimisation: 'tabHD Item Warehouse Optimization',
  rule: 'tabHD Dynamic Pricing Rule',
  ruleItem: 'tabHD Pricing Rule Item',
  slab: 'tabHD Volume Discount Slab',
  application: 'tabHD Pricing Rule Application',
} as const;

export interface RulesVersionTable {
  id: number;
  version: ColumnType<string, number | string, string>;
}

export interface ErpDatabase {
  hd_pricing_rules_version: RulesVersionTable;
  tabCustomer: CustomerTable;
  tabItem: ItemTable;
  tabWarehouse: WarehouseTable;
  'tabHD Customer Segment': SegmentTable;
  'tabHD Customer Segment Assignment': AssignmentTable;
  'tabHD Customer Territory Mapping': TerritoryMappingTable;
  'tabHD Customer Metrics': CustomerMetricsTable;
  'tabHD Batch Master': BatchTable;
  'tabHD Batch Movement': MovementTable;
  'tabHD Item Warehouse Optimization': OptimisationTable;
  'tabHD Dynamic Pricing Rule': PricingRuleTable;
  'tabHD Pricing Rule Item': PricingRuleItemTable;
  'tabHD Volume Discount Slab': SlabTable;
  'tabHD Pricing Rule Application': ApplicationTable;
  'tabHD Order': OrderTable;
  'tabHD Order Item': OrderItemTable;
  'tabHD Order Reservation': OrderReservationTable;
  hd_stock_level: StockLevelTable;
  'tabUOM Conversion Detail': UomConversionTable;
  hd_ledger_opening: LedgerOpeningTable;
}

export type { Generated };
